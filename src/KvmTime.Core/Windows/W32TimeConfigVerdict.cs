namespace KvmTime.Windows;

/// <summary>Whether w32time follows one of the peers it was given, judged from its status.</summary>
internal static class W32TimeConfigVerdict
{
    /// <summary>True when the status is synchronised and its Source ("time.windows.com,0x9") is one of <paramref name="peers"/>.</summary>
    public static bool FollowsAPeer(W32TimeStatus status, IReadOnlyList<string> peers)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(peers);
        var source = status.Source?.Split(',')[0].Trim();
        return status.IsSynchronized && source is not null && peers.Any(p => p.Equals(source, StringComparison.OrdinalIgnoreCase));
    }
}
