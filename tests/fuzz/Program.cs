using System.Globalization;
using KvmTime.Fuzz;

// Exit code 0: no exception other than KvmTimeException escaped and no input was too slow; 1 otherwise.
var options = FuzzOptions.Parse(args);
if (options.ReplayDirectory is { } replay)
{
    var failed = 0;
    foreach (var file in Directory.GetFiles(replay).Order(StringComparer.Ordinal))
    {
        var (name, input) = RegressionSamples.Load(file);
        var target = FuzzTargets.Find(name) ?? throw new ArgumentException($"{file}: no target is named '{name}'.");
        if (TargetProbe.Probe(target, input) is { } finding)
        {
            failed++;
            Console.WriteLine($"FAILED {file}: {finding.Kind}: {finding.Detail.Split('\n')[0]}");
        }
    }

    Console.WriteLine($"replay: {failed} of {Directory.GetFiles(replay).Length} samples failed");
    return failed == 0 ? 0 : 1;
}

var runner = new FuzzRunner(options, Console.Out);
runner.Run();
var rate = runner.Inputs / Math.Max(runner.Elapsed.TotalSeconds, 0.001);
foreach (var (target, count) in runner.InputsPerTarget.OrderBy(p => p.Key, StringComparer.Ordinal))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {target,-28} {count,9} inputs"));
}

var bugs = runner.Findings.Select(f => f.Signature).Distinct().Count();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"fuzz: seed {options.Seed}, {runner.InputsPerTarget.Count} targets, {runner.Inputs} inputs in {runner.Elapsed.TotalSeconds:0.0} s ({rate:0} inputs/s), {runner.Findings.Count} failing inputs ({bugs} distinct)"));
return runner.Findings.Count == 0 ? 0 : 1;
