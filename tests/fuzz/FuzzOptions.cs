using System.Globalization;

namespace KvmTime.Fuzz;

/// <summary>The command line: --seconds N, --seed N, --target NAME, --samples DIR, --save DIR, --replay DIR.</summary>
public sealed record FuzzOptions(double Seconds, int Seed, string? Target, string? SamplesDirectory, string? SaveDirectory, string? ReplayDirectory)
{
    public static FuzzOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new FuzzOptions(60, Environment.TickCount, null, null, null, null);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--target" => options with { Target = value },
                "--samples" => options with { SamplesDirectory = value },
                "--save" => options with { SaveDirectory = value },
                "--replay" => options with { ReplayDirectory = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Use --seconds, --seed, --target, --samples, --save or --replay."),
            };
        }

        return args.Count % 2 == 0 ? options : throw new ArgumentException($"Option {args[^1]} has no value.");
    }
}
