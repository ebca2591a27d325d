namespace KvmTime.Linux.Boot;

/// <summary>Compares the timing arguments the kernel runs with against those the next boot gets.</summary>
internal static class PendingArguments
{
    /// <summary>Timing arguments in <paramref name="next"/> but not in <paramref name="running"/> (added), and the reverse (removed).</summary>
    public static (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) Difference(IEnumerable<string> running, IEnumerable<string> next)
    {
        var r = Timing(running);
        var n = Timing(next);
        return (Minus(n, r), Minus(r, n));
    }

    public static bool SameTiming(IEnumerable<string> a, IEnumerable<string> b)
    {
        var (added, removed) = Difference(a, b);
        return added.Count == 0 && removed.Count == 0;
    }

    public static IReadOnlyList<string> Timing(IEnumerable<string> words) =>
        KernelCommandLine.TimingOnly(KernelCommandLine.Parse(string.Join(' ', words))).Select(a => a.ToString()).ToList();

    private static List<string> Minus(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var rest = b.ToList();
        var result = new List<string>();
        foreach (var item in a)
        {
            if (!rest.Remove(item))
            {
                result.Add(item);
            }
        }

        return result;
    }
}
