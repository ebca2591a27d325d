using System.Diagnostics;

namespace KvmTime.Fuzz;

/// <summary>
/// Drives every target in turn until the time budget is spent: first the stress inputs, then
/// random and mutated inputs from one seeded generator, so a seed replays the same inputs.
/// </summary>
public sealed class FuzzRunner(FuzzOptions options, TextWriter output)
{
    public Dictionary<string, long> InputsPerTarget { get; } = [];

    public List<FuzzFinding> Findings { get; } = [];

    public TimeSpan Elapsed { get; private set; }

    public long Inputs => InputsPerTarget.Values.Sum();

    public void Run()
    {
        var samples = options.SamplesDirectory ?? SeedCorpus.FindSamplesDirectory();
        var targets = FuzzTargets.All().Where(t => options.Target is null || t.Name == options.Target).ToList();
        if (targets.Count == 0)
        {
            throw new ArgumentException($"No target is named '{options.Target}'.");
        }

        var random = new Random(options.Seed);
        var makers = targets.Select(t => new InputMaker(random, SeedCorpus.Load(t, samples))).ToList();
        var watch = Stopwatch.StartNew();
        foreach (var target in targets)
        {
            foreach (var (name, text) in StressInputs.All())
            {
                Try(target, text, $"stress input {name}");
            }
        }

        var budget = TimeSpan.FromSeconds(options.Seconds);
        while (watch.Elapsed < budget)
        {
            for (var i = 0; i < targets.Count && watch.Elapsed < budget; i++)
            {
                Try(targets[i], makers[i].Next(), null);
            }
        }

        Elapsed = watch.Elapsed;
    }

    private void Try(FuzzTarget target, string input, string? label)
    {
        InputsPerTarget[target.Name] = InputsPerTarget.GetValueOrDefault(target.Name) + 1;
        if (TargetProbe.Probe(target, input) is not { } finding)
        {
            return;
        }

        var known = Findings.Any(f => f.Signature == finding.Signature);
        Findings.Add(finding);
        if (known)
        {
            return;
        }

        var saved = options.SaveDirectory is { } directory ? RegressionSamples.Save(directory, finding) : null;
        output.WriteLine($"FOUND {finding.Kind} in {finding.Target}{(label is null ? string.Empty : $" ({label})")}: {finding.Detail.Split('\n')[0]}");
        output.WriteLine($"  input: {(saved is null ? $"{finding.Input.Length} characters (pass --save DIR to keep it)" : saved)}");
        foreach (var frame in finding.Detail.Split('\n').Skip(1).Take(4))
        {
            output.WriteLine("  " + frame.Trim());
        }
    }
}
