namespace KvmTime.Host;

/// <summary>The exact change to one domain definition: the new XML, the diff -WhatIf shows, and what it takes to take effect.</summary>
public sealed record DomainClockPlan(
    string Domain,
    string State,
    string OldXml,
    string NewXml,
    IReadOnlyList<string> Changes,
    string Diff,
    bool RestartRequired)
{
    public bool IsChange => Changes.Count > 0;
}
