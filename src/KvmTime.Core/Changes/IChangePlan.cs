namespace KvmTime.Changes;

/// <summary>
/// A change decided on one item (a machine, or a domain or guest on it) and not yet applied: plain
/// data that says exactly what would happen. The shared confirm-and-apply shows it and asks for it.
/// </summary>
internal interface IChangePlan
{
    /// <summary>The machine the change runs on.</summary>
    string ComputerName { get; }

    /// <summary>What ShouldProcess names as the target: the machine, or "domain on host".</summary>
    string Target { get; }

    /// <summary>The operation, in a few words: "Set the clocksource to tsc".</summary>
    string Action { get; }

    /// <summary>False when the item already is as asked: applying only reads back, so no consent is needed.</summary>
    bool IsChange { get; }

    /// <summary>True when a guest must be shut down and started again (a domain's virtual hardware).</summary>
    bool RestartRequired { get; }

    /// <summary>True when the change takes full effect only at the next boot.</summary>
    bool RebootRequired { get; }

    /// <summary>Said before asking, e.g. that the change is probably unnecessary.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>The exact change: unified diffs, commands, writes, in the order they run.</summary>
    string Describe();
}
