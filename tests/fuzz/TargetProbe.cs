using KvmTime.Targets;

namespace KvmTime.Fuzz;

/// <summary>Runs one input through one target: the exception that escaped, if any, and how long it took.</summary>
public static class TargetProbe
{
    /// <summary>100 ms for every 64 KB of input (and at least 100 ms).</summary>
    public static TimeSpan Limit(string input) =>
        TimeSpan.FromMilliseconds(100 * Math.Max(1.0, (input ?? string.Empty).Length / 65536.0));

    public static FuzzFinding? Probe(FuzzTarget target, string input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        var (escaped, elapsed) = Run(target, input);
        if (escaped is not null)
        {
            return new FuzzFinding(target.Name, escaped.GetType().Name, $"{escaped.Message}\n{escaped.StackTrace}", input);
        }

        // Thread CPU time, and slow only when a second run is slow too: a busy machine or a
        // garbage collection can stall any one call.
        if (elapsed > Limit(input) && Run(target, input).Elapsed is var again && again > Limit(input))
        {
            return new FuzzFinding(target.Name, "Slow", $"{Math.Min(elapsed.TotalMilliseconds, again.TotalMilliseconds):0} ms of CPU for {input.Length} characters (limit {Limit(input).TotalMilliseconds:0} ms)", input);
        }

        return null;
    }

    private static (Exception? Escaped, TimeSpan Elapsed) Run(FuzzTarget target, string input)
    {
        var start = ThreadCpuClock.Now();
        try
        {
            target.Run(input);
            return (null, ThreadCpuClock.Now() - start);
        }
        catch (KvmTimeException)
        {
            return (null, ThreadCpuClock.Now() - start);
        }
#pragma warning disable CA1031 // every other exception is exactly what the fuzzer reports
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (e, ThreadCpuClock.Now() - start);
        }
    }
}
