using System.Text;

namespace KvmTime.Fuzz;

/// <summary>
/// Inputs that made a parser slow before, given to every target on every run: long digit runs,
/// many wildcards, one long line repeating a kernel message prefix, deep nesting, two long files to diff.
/// </summary>
public static class StressInputs
{
    public static IReadOnlyList<(string Name, string Text)> All()
    {
        const int size = 64 * 1024;
        return
        [
            ("digits-64k", new string('1', size)),
            ("digits-16000-unit", new string('7', 16000) + ".5"),
            ("stars-2000", new string('*', 2000) + "a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"),
            ("star-a-1000", Repeat("a*", 1000) + "b ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"),
            ("clocksource-prefix-line", Repeat("clocksource: ", size / 13)),
            ("tsc-prefix-line", "[    1.000000] " + Repeat("tsc: Marking TSC unstable due to ", size / 33)),
            ("watchdog-prefix-line", "[    1.000000] " + Repeat("clocksource: timekeeping watchdog on CPU0: Marking clocksource 'tsc' as unstable because the skew is too large: ", size / 110)),
            ("stamp-prefix-line", Repeat("[    1.000000] ", size / 15)),
            ("run-on-stamps-line", "[  612.004120] " + Repeat("root@guest1:~# [  612.004201] tsc: Marking TSC unstable due to", size / 61)),
            ("run-on-prefix-line", "[    0.000000] " + Repeat("4b564d01kvm-clock: cpu 0, msr 2:3 ", size / 34)),
            ("spaces-64k", new string(' ', size) + "x"),
            ("json-nesting", new string('[', 10000) + new string(']', 10000)),
            ("json-return-digits", "{\"return\":" + new string('9', size) + "}\n"),
            ("xml-nesting", Repeat("<a>", 5000) + Repeat("</a>", 5000)),
            ("lines-8000-vs-8000", Lines(8000, 1) + GatherInput.Separator + Lines(8000, 2)),
            ("w32tm-digits", "Phase Offset: " + new string('4', size) + "s\nStratum: " + new string('3', size)),
            ("chrony-row-digits", "^* " + new string('x', 100) + " " + Repeat("1 ", size / 2)),
        ];
    }

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    private static string Lines(int count, int variant)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("GRUB_LINE_").Append((i * 7919 * variant) % 100_003).Append('\n');
        }

        return text.ToString();
    }
}
