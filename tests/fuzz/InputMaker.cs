using System.Text;

namespace KvmTime.Fuzz;

/// <summary>
/// Makes fuzz inputs: plain random text of several alphabets, and mutations of a target's seeds
/// (character flips, tokens that broke parsers before, long digit runs, repeated chunks, splices).
/// </summary>
public sealed class InputMaker(Random random, IReadOnlyList<string> seeds)
{
    /// <summary>No input is longer; the timing limit scales with the length anyway.</summary>
    public const int MaxLength = 256 * 1024;

    private static readonly string[] Tokens =
    [
        "1e20", "-1e308", "1e-400", "99999999999999999999999", "-9223372036854775808", "4294967296", "NaN", "Infinity", "-0",
        "\u0663\u0664", "\uff10\uff11", "\u0967", "\ud800", "\udc00", "\udbff\udfff", "\u00ff", "\0", "\u2028",
        "*", "?", "!", "|1|", "[", "]", "{", "}", "\"", ":", ",", "=", "'", "\\", "$", "`", "#", "@revoked ",
        "\n", "\r\n", "\r", "\t", " ", "  ", "0x", "s", "ms", "us", "min", "h", "d", "w", "ppm", "(", ")",
        "null", "true", "false", "[]", "{}", "\"return\"", "{\"return\":\"x\"}", "{\"return\":[1]}", "{\"error\":1}",
        "<", ">", "</features>", "<clock", "</clock>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;",
        "clocksource: ", "tsc: ", "kvm-clock: ", "[    0.000000] ", "Marking clocksource 'tsc' as unstable", "GRUB_CMDLINE_LINUX=\"",
        "btime ", "\u001e", "\u0015",
    ];

    public string Next()
    {
        if (seeds.Count == 0 || random.Next(5) == 0)
        {
            return Plain();
        }

        var seed = seeds[random.Next(seeds.Count)];
        if (random.Next(10) == 0)
        {
            return seed; // a hand-written wrong shape needs no mutation to break a parser
        }

        var text = new StringBuilder(seed);
        var mutations = 1 + random.Next(8);
        for (var i = 0; i < mutations && text.Length < MaxLength; i++)
        {
            Mutate(text);
        }

        return text.Length > MaxLength ? text.ToString(0, MaxLength) : text.ToString();
    }

    private string Plain()
    {
        var length = (int)Math.Min(MaxLength / 4, Math.Pow(2, random.NextDouble() * 16));
        var text = new StringBuilder(length);
        var alphabet = random.Next(4);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet switch
            {
                0 => (char)random.Next(0x10000),
                1 => (char)random.Next(0x20, 0x7f),
                2 => "0123456789.-+e \n"[random.Next(16)],
                _ => Tokens[random.Next(Tokens.Length)][0],
            });
        }

        return text.ToString();
    }

    private void Mutate(StringBuilder text)
    {
        var at = text.Length == 0 ? 0 : random.Next(text.Length);
        switch (random.Next(8))
        {
            case 0:
                if (text.Length > 0)
                {
                    text[at] = (char)(random.Next(2) == 0 ? random.Next(0x80) : random.Next(0x10000));
                }

                break;
            case 1:
                text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                break;
            case 2:
                text.Remove(at, Math.Min(text.Length - at, random.Next(64)));
                break;
            case 3:
                Repeat(text, at);
                break;
            case 4:
                text.Insert(at, new string((char)('0' + random.Next(10)), 1 + random.Next(random.Next(2) == 0 ? 40 : 20000)));
                break;
            case 5:
                var other = seeds[random.Next(seeds.Count)];
                var from = random.Next(other.Length + 1);
                text.Insert(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(4096))));
                break;
            case 6:
                text.Length = at;
                break;
            default:
                ReplaceDigit(text, at);
                break;
        }
    }

    /// <summary>A chunk repeated many times: the shape that makes backtracking and quadratic scans slow.</summary>
    private void Repeat(StringBuilder text, int at)
    {
        var length = Math.Min(text.Length - at, 1 + random.Next(80));
        if (length <= 0)
        {
            return;
        }

        var chunk = text.ToString(at, length);
        var times = Math.Min(1 + random.Next(4000), (MaxLength - text.Length) / length);
        text.Insert(at, chunk, times);
    }

    private void ReplaceDigit(StringBuilder text, int at)
    {
        for (var i = at; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                string[] odd = ["\u0663", "99999999999999999999", "1e20", "-", "NaN", "9.9e999"];
                text.Remove(i, 1).Insert(i, odd[random.Next(odd.Length)]);
                return;
            }
        }
    }
}
