namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Where dmesg ran the next message onto a line: a boot stamp inside it, or a message prefix
/// glued to the text before it ("4b564d00kvm-clock: ..."). The prefixes are found in one pass and
/// the stamp search only moves forward, so splitting a line into k messages costs O(line), not O(line·k).
/// </summary>
internal sealed class RunOnCuts
{
    private static readonly string[] Prefixes = ["kvm-clock: ", "clocksource: ", "tsc: "];

    private readonly string message;
    private readonly List<int>[] prefixCuts;
    private readonly int[] nextPrefixCut;
    private int stampEnd;

    public RunOnCuts(string message)
    {
        this.message = message;
        prefixCuts = Prefixes.Select(Glued).ToArray();
        nextPrefixCut = new int[Prefixes.Length];
    }

    /// <summary>The first cut after <paramref name="start"/> (where the current message begins), or -1.</summary>
    public int After(int start)
    {
        if (start + 1 >= message.Length)
        {
            return -1;
        }

        var best = -1;
        if (stampEnd >= 0 && stampEnd <= start)
        {
            stampEnd = message.IndexOf("] ", start + 1, StringComparison.Ordinal);
        }

        if (stampEnd > 0)
        {
            var open = message.LastIndexOf('[', stampEnd, stampEnd - start);
            if (open > start && KernelLogLine.BootStampAt(message, open).SinceBoot is not null)
            {
                best = open;
            }
        }

        for (var i = 0; i < Prefixes.Length; i++)
        {
            var cuts = prefixCuts[i];
            while (nextPrefixCut[i] < cuts.Count && cuts[nextPrefixCut[i]] <= start)
            {
                nextPrefixCut[i]++;
            }

            if (nextPrefixCut[i] < cuts.Count && (best < 0 || cuts[nextPrefixCut[i]] < best))
            {
                best = cuts[nextPrefixCut[i]];
            }
        }

        return best;
    }

    // "clocksource: kvm-clock: mask" has a space before the prefix, and "'tsc: ..." a quote: those are one message.
    private List<int> Glued(string prefix)
    {
        var cuts = new List<int>();
        if (message.Length < 2)
        {
            return cuts;
        }

        for (var at = message.IndexOf(prefix, 1, StringComparison.Ordinal); at > 0; at = message.IndexOf(prefix, at + 1, StringComparison.Ordinal))
        {
            if (!char.IsWhiteSpace(message[at - 1]) && message[at - 1] != '\'')
            {
                cuts.Add(at);
            }
        }

        return cuts;
    }
}
