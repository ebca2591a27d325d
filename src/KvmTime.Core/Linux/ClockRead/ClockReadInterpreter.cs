namespace KvmTime.Linux.ClockRead;

/// <summary>Which interpreter times clock reads on an SSH target.</summary>
public enum ClockReadInterpreter
{
    /// <summary>perl (with Time::HiRes) when the target has it, else python3.</summary>
    Auto,

    Perl,

    Python3,
}
