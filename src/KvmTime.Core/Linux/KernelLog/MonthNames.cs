namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Abbreviated month names as dmesg -T, logread and syslog print them: English, and the German
/// names a de_DE locale gives dmesg --ctime (glibc abmon, with the ASCII spellings people paste).
/// </summary>
internal static class MonthNames
{
    private static readonly Dictionary<string, int> Numbers = Build();

    /// <summary>The month number 1-12, or 0 when the name is not a known month.</summary>
    public static int Number(string name) => Numbers.TryGetValue(name.TrimEnd('.'), out var month) ? month : 0;

    private static Dictionary<string, int> Build()
    {
        string[][] spellings =
        [
            ["Jan", "Jän"], ["Feb"], ["Mar", "Mär", "März", "Mrz"], ["Apr"], ["May", "Mai"], ["Jun"],
            ["Jul"], ["Aug"], ["Sep"], ["Oct", "Okt"], ["Nov"], ["Dec", "Dez"],
        ];
        var numbers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var month = 0; month < spellings.Length; month++)
        {
            foreach (var name in spellings[month])
            {
                numbers[name] = month + 1;
            }
        }

        return numbers;
    }
}
