namespace KvmTime;

/// <summary>
/// The words every KvmTime change asks with: -WhatIf prints PowerShell's standard "Performing the
/// operation ..." line and then the exact change; -Confirm asks with the same text.
/// </summary>
internal static class ChangePrompt
{
    public const string Caption = "Confirm";

    public static (string Description, string Warning) For(string action, string target, string change)
    {
        var line = $"Performing the operation \"{action}\" on target \"{target}\".";
        return ($"{line}\n{change}", $"Are you sure you want to perform this action?\n{line}\n{change}");
    }
}
