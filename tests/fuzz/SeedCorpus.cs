namespace KvmTime.Fuzz;

/// <summary>Loads a target's seeds: the real samples its globs name under tests/unit/Samples, and its hand-written texts.</summary>
public static class SeedCorpus
{
    public static IReadOnlyList<string> Load(FuzzTarget target, string samplesDirectory)
    {
        ArgumentNullException.ThrowIfNull(target);
        var seeds = new List<string>();
        foreach (var seed in target.Seeds)
        {
            if (seed.StartsWith(FuzzTarget.TextSeed, StringComparison.Ordinal))
            {
                seeds.Add(seed[FuzzTarget.TextSeed.Length..]);
                continue;
            }

            var directory = Path.Combine(samplesDirectory, Path.GetDirectoryName(seed) ?? string.Empty);
            if (Directory.Exists(directory))
            {
                seeds.AddRange(Directory.GetFiles(directory, Path.GetFileName(seed)).Order(StringComparer.Ordinal).Select(File.ReadAllText));
            }
        }

        // Gather targets read one sample per key: all of them at once, in key order, is a seed too.
        if (seeds.Count > 1)
        {
            seeds.Add(GatherInput.Join(seeds));
        }

        return seeds;
    }

    /// <summary>tests/unit/Samples, found by walking up from the fuzzer's own folder.</summary>
    public static string FindSamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "unit", "Samples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/unit/Samples was not found above " + AppContext.BaseDirectory + "; pass --samples.");
    }
}
