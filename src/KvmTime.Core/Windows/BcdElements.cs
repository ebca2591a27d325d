using System.Globalization;

namespace KvmTime.Windows;

/// <summary>
/// The BCD elements of {current} that choose Windows' timer (ntbcd.h, through the BCD WMI
/// provider: its answers are not localized, unlike bcdedit's text).
/// </summary>
internal static class BcdElements
{
    public const uint UsePlatformClock = 0x260000A2;
    public const uint UsePlatformTick = 0x260000A4;
    public const uint DisableDynamicTick = 0x260000A5;
    public const uint TscSyncPolicy = 0x250000A6;

    /// <summary>The {current} boot entry: the running OS loader.</summary>
    public const string CurrentId = "{fa926493-6f1c-4193-a414-58f0b2456d1e}";

    public static IReadOnlyList<uint> ClockElements { get; } = [UsePlatformClock, UsePlatformTick, DisableDynamicTick, TscSyncPolicy];

    /// <summary>bcdedit's name for an element (what -WhatIf shows and the fallback uses).</summary>
    public static string Name(uint element) => element switch
    {
        UsePlatformClock => "useplatformclock",
        UsePlatformTick => "useplatformtick",
        DisableDynamicTick => "disabledynamictick",
        TscSyncPolicy => "tscsyncpolicy",
        _ => Key(element),
    };

    /// <summary>How the read snippet names an element in its JSON: 0x260000A2.</summary>
    public static string Key(uint element) => "0x" + element.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>tscsyncpolicy is stored as 0, 1, 2.</summary>
    public static string TscSyncPolicyName(ulong value) => value switch
    {
        0 => "Default",
        1 => "Legacy",
        2 => "Enhanced",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
