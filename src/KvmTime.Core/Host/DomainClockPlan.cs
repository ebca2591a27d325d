namespace KvmTime.Host;

/// <summary>The exact change to one domain definition: the new XML, the diff -WhatIf shows, and what it takes to take effect.</summary>
internal sealed record DomainClockPlan(
    string Domain,
    string State,
    string OldXml,
    string NewXml,
    IReadOnlyList<string> Changes,
    string Diff,
    bool RestartRequired)
{
    public bool IsChange => Changes.Count > 0;

    /// <summary>What the change does beyond the settings asked for: timers a preset removed or kept, the &lt;cpu&gt;'s invtsc.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
