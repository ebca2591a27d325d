namespace KvmTime.Changes;

/// <summary>
/// What a change found out about earlier ones on the same target before it started: a run whose
/// channel dropped before it relayed its result (finished, failed and rolled back, or killed), a
/// journal it replayed, a lock it took over from a dead process. Each becomes one warning.
/// </summary>
internal static class PreviousChanges
{
    public static string Marker(string nonce) => "@@KVMTIME-PREVIOUS:" + nonce;

    public static IReadOnlyList<string> Parse(string output, string nonce, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(output);
        var prefix = Marker(nonce) + " ";
        var warnings = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[prefix.Length..].Split('\t');
            var text = fields[0] switch
            {
                "previous" when fields.Length >= 5 => Describe(fields[1], fields[2], fields[3], fields[4].Trim()),
                "rolled-back" => $"a change that was killed before it finished had left its rollback journal in {stateDirectory}; every file it had touched was restored before this change started.",
                "stale-lock" when fields.Length >= 2 => $"the change lock in {stateDirectory} was held by process {fields[1]}, which no longer exists; it was taken over.",
                _ => null,
            };
            if (text is not null)
            {
                warnings.Add(text);
            }
        }

        return warnings;
    }

    private static string Describe(string started, string exit, string phase, string messages)
    {
        var when = started.Length > 0 ? $"an earlier KvmTime change (started {started})" : "an earlier KvmTime change";
        return exit switch
        {
            "0" => $"{when} lost its connection but finished: its files and regenerate command completed.",
            "" => $"{when} was killed while {(phase.Length > 0 ? phase : "starting")}, before it could finish or restore its files.",
            _ => $"{when} lost its connection and ended with code {exit}: {(messages.Length > 0 ? messages : "no message")}",
        };
    }
}
