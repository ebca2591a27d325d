namespace KvmTime.Windows;

/// <summary>
/// One `Name: value (origin)` line of `w32tm /query /configuration`: the value, where w32tm says it comes
/// from (Local, Policy, NotUsed, or the localized word as printed), and the line itself for error messages.
/// </summary>
internal sealed record W32TimeSetting(string Value, string? Origin, string Line);
