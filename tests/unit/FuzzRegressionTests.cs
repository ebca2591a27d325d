using KvmTime.Fuzz;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

/// <summary>
/// Every input the fuzzer (tests/fuzz) found breaking a parser, kept in Samples/fuzz as
/// "&lt;target&gt;.&lt;hash&gt;.txt|.utf16": its target returns a model or throws KvmTimeException, in
/// linear time. The time limit is ten times the fuzzer's, so a busy machine cannot fail it while the
/// quadratic and exponential originals (seconds to minutes) still would.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "fuzz")).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_saved_fuzz_input_gives_a_model_or_a_KvmTimeException_in_linear_time(string fileName)
    {
        var (name, input) = RegressionSamples.Load(Path.Combine(AppContext.BaseDirectory, "Samples", "fuzz", fileName));
        var target = FuzzTargets.Find(name);
        Assert.True(target is not null, $"{fileName} names no fuzz target '{name}'");

        var start = ThreadCpuClock.Now();
        var escaped = Record.Exception(() => target.Run(input));
        var elapsed = ThreadCpuClock.Now() - start;

        Assert.True(escaped is null or KvmTimeException, $"{escaped?.GetType().Name}: {escaped?.Message}");
        Assert.True(elapsed < TargetProbe.Limit(input) * 10, $"{elapsed.TotalMilliseconds:0} ms of CPU for {input.Length} characters");
    }

    [Fact]
    public void The_fuzzer_covers_every_parser_area_with_seeds_from_the_real_samples()
    {
        var targets = FuzzTargets.All();
        Assert.Equal(targets.Count, targets.Select(t => t.Name).Distinct().Count());
        var samples = Path.Combine(AppContext.BaseDirectory, "Samples");
        var seeded = targets.Where(t => t.Seeds.Any(s => !s.StartsWith(FuzzTarget.TextSeed, StringComparison.Ordinal))).ToList();
        Assert.All(seeded, t => Assert.NotEmpty(SeedCorpus.Load(t, samples)));
    }
}
