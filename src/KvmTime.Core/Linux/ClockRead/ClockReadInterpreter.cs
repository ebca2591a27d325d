namespace KvmTime.Linux.ClockRead;

/// <summary>Which interpreter times clock reads on an SSH target.</summary>
public enum ClockReadInterpreter
{
    /// <summary>python3 when the target has it, else perl.</summary>
    Auto,

    Python3,

    Perl,
}
