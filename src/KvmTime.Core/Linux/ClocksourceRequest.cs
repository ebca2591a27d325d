using System.Globalization;
using KvmTime.Linux.Boot;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>What the user asked Set-GuestClocksource for, checked before any target is touched.</summary>
internal sealed class ClocksourceRequest
{
    public string? Clocksource { get; init; }

    public ChangeScope Scope { get; init; }

    /// <summary>Boot arguments to set (clocksource=, tsc=reliable, no-kvmclock) or to remove.</summary>
    public required KernelArgumentEdit Arguments { get; init; }

    public BootLoaderKind? BootLoader { get; init; }

    public bool Runtime => Scope is ChangeScope.Runtime or ChangeScope.Both && Clocksource is not null;

    public bool Persistent => Scope is ChangeScope.Persistent or ChangeScope.Both;

    /// <summary>Set -Clocksource NAME: checked here, so a bad name stops the command before any machine is contacted.</summary>
    public static ClocksourceRequest ForSet(string clocksource, ChangeScope scope, bool tscReliable, bool noKvmClock, BootLoaderKind? bootLoader)
    {
        if (!Clocksources.IsValidName(clocksource))
        {
            throw new KvmTimeException(ErrorIds.InvalidClocksourceName, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.InvalidClocksourceName, clocksource));
        }

        if (scope == ChangeScope.Runtime && (tscReliable || noKvmClock))
        {
            throw new KvmTimeException(ErrorIds.BootArgumentNeedsPersistentScope, FailureKind.InvalidArgument,
                Messages.BootArgumentNeedsPersistentScope);
        }

        if (noKvmClock && clocksource == "kvm-clock")
        {
            throw new KvmTimeException(ErrorIds.ConflictingClocksourceArguments, FailureKind.InvalidArgument,
                Messages.ConflictingClocksourceArguments);
        }

        var set = new List<KernelArgument> { new("clocksource", clocksource) };
        if (tscReliable)
        {
            set.Add(new KernelArgument("tsc", "reliable"));
        }

        if (noKvmClock)
        {
            set.Add(new KernelArgument("no-kvmclock", null));
        }

        return new ClocksourceRequest { Clocksource = clocksource, Scope = scope, Arguments = KernelArgumentEdit.Create(set, []), BootLoader = bootLoader };
    }

    /// <summary>-Remove (the given arguments) or -Reset (all of them): a persistent change only.</summary>
    public static ClocksourceRequest ForRemove(IEnumerable<ClocksourceBootArgument> which, BootLoaderKind? bootLoader)
    {
        var remove = which.Distinct().Select(a => a switch
        {
            ClocksourceBootArgument.Clocksource => new KernelArgument("clocksource", null),
            ClocksourceBootArgument.TscReliable => new KernelArgument("tsc", "reliable"),
            _ => new KernelArgument("no-kvmclock", null),
        });
        return new ClocksourceRequest { Scope = ChangeScope.Persistent, Arguments = KernelArgumentEdit.Create([], remove), BootLoader = bootLoader };
    }
}
