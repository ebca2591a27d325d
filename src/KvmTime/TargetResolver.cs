using KvmTime.Targets;

namespace KvmTime;

/// <summary>Turns what the user typed into targets.</summary>
internal static class TargetResolver
{
    public static IEnumerable<ITarget> Resolve(string[]? computerNames)
    {
        if (computerNames is null || computerNames.Length == 0)
        {
            yield return LocalTarget.Instance;
            yield break;
        }

        foreach (var name in computerNames)
        {
            yield return IsLocal(name) ? LocalTarget.Instance : new UnreachableTarget(name);
        }
    }

    private static bool IsLocal(string name) =>
        name is "." or "localhost" || string.Equals(name, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
}
