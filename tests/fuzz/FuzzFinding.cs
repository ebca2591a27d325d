namespace KvmTime.Fuzz;

/// <summary>An input that broke a target: an exception other than KvmTimeException escaped, or it was too slow.</summary>
public sealed record FuzzFinding(string Target, string Kind, string Detail, string Input)
{
    /// <summary>Findings with the same target, kind and innermost KvmTime frame are one bug.</summary>
    public string Signature => $"{Target}|{Kind}|{Detail.Split('\n').FirstOrDefault(l => l.Contains("at KvmTime.", StringComparison.Ordinal) && !l.Contains("KvmTime.Fuzz", StringComparison.Ordinal))?.Trim()}";
}
