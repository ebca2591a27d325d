using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using KvmTime.Model;
using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

/// <summary>
/// The snippets KvmTime sends to Windows, run by a real PowerShell engine on this Linux machine:
/// syntax, the non-Windows code paths (no WMI, the bcdedit fallback and its argument quoting), and
/// the WMI paths against stand-in Invoke-CimMethod functions.
/// </summary>
public class WindowsSnippetTests
{
    private static readonly WindowsClockInfo Unset = new()
    {
        BcdRead = true, QpcFrequency = 10_000_000, QpcSource = "tsc", HyperVEnlightenments = [], OsVersion = "10.0.20348.0",
    };

    // An in-memory BCD {current} behind the Invoke-CimMethod calls the snippets make.
    private const string FakeWmi = """
        $global:Bcd = @{}
        function Invoke-CimMethod {
            param($Namespace, $ClassName, $InputObject, $MethodName, $Arguments)
            if ($global:DenyWmi) { $e = [System.Exception]::new('Access denied '); $e | Add-Member NativeErrorCode 'AccessDenied'; throw $e }
            $global:WmiCalls += ,"$MethodName $($Arguments.Type) $($Arguments.Boolean)"
            switch ($MethodName) {
                'OpenStore' { [pscustomobject]@{ ReturnValue = $true; Store = 'store' } }
                'OpenObject' { [pscustomobject]@{ ReturnValue = $true; Object = $Arguments.Id } }
                'GetElement' {
                    if ($global:Bcd.ContainsKey([uint32]$Arguments.Type)) { [pscustomobject]@{ ReturnValue = $true; Element = [pscustomobject]@{ Boolean = $global:Bcd[[uint32]$Arguments.Type] } } }
                    else { [pscustomobject]@{ ReturnValue = $false; Element = $null } }
                }
                'SetBooleanElement' { $global:Bcd[[uint32]$Arguments.Type] = [bool]$Arguments.Boolean; [pscustomobject]@{ ReturnValue = $true } }
                'DeleteElement' { $had = $global:Bcd.ContainsKey([uint32]$Arguments.Type); $global:Bcd.Remove([uint32]$Arguments.Type); [pscustomobject]@{ ReturnValue = $had } }
            }
        }
        """;

    private const string FakeBcdedit = "function bcdedit.exe { $global:BcdeditArgs = $args; $global:LASTEXITCODE = 0 }";

    private static (string Output, PowerShell Shell) Run(string setup, string script, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        var shell = PowerShell.Create(InitialSessionState.CreateDefault2());
        shell.AddScript("$global:WmiCalls = @()\n" + setup).Invoke();
        shell.Commands.Clear();
        shell.AddScript(script);
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            shell.AddParameter(name, value);
        }

        var output = shell.Invoke();
        Assert.Empty(shell.Streams.Error);
        return (string.Join("\n", output.Select(o => o.ToString())), shell);
    }

    private static List<object> Global(PowerShell shell, string name)
    {
        shell.Commands.Clear();
        return shell.AddScript("$global:" + name).Invoke().Where(o => o is not null).Select(o => o.BaseObject).ToList();
    }

    [Theory]
    [InlineData(WindowsClockScript.Script)]
    [InlineData(WindowsBcdScript.Script)]
    [InlineData(WindowsTimeEvents.Script)]
    public void Every_snippet_parses_without_errors(string script)
    {
        Parser.ParseInput(script, out _, out var errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void The_clock_snippet_runs_here_and_its_cpuid_agrees_with_proc_cpuinfo()
    {
        var (json, shell) = Run(string.Empty, WindowsClockScript.Script);
        using var _ = shell;
        var facts = WindowsClockParser.Parse(json, "here");
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');

        Assert.False(facts.BcdRead);
        Assert.Equal("CommandNotFound", facts.BcdErrorCode);
        Assert.Equal(System.Diagnostics.Stopwatch.Frequency, facts.QpcFrequency);
        Assert.Equal(flags.Contains("constant_tsc") && flags.Contains("nonstop_tsc"), WindowsClockParser.InvariantTsc(facts));
        Assert.Equal(flags.Contains("hypervisor"), WindowsTscReader.Report(facts, "here").IsGuest);
    }

    [Fact]
    public void Without_wmi_the_bcd_snippet_falls_back_to_bcdedit_with_current_quoted()
    {
        var plan = WindowsBcdPlanner.Plan(Unset, "Rtc", "win1");
        var (json, shell) = Run(FakeBcdedit, plan.Script, plan.Parameters);
        using var _ = shell;

        Assert.Equal(["/set", "{current}", "useplatformclock", "yes"], Global(shell, "BcdeditArgs"));
        var result = WindowsBcdPlanner.ParseResult(json, plan);
        Assert.Equal("bcdedit", result.Method);
        Assert.False(result.Verified);
        Assert.True(result.RestartRequired);
        Assert.Contains("CommandNotFound", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Tsc_deletes_the_element_through_bcdedit_deletevalue_when_wmi_is_missing()
    {
        var plan = WindowsBcdPlanner.Plan(new WindowsClockInfo { BcdRead = true, UsePlatformClock = true, QpcFrequency = 3_579_545, QpcSource = "acpi_pm", HyperVEnlightenments = [], OsVersion = "6.1" }, "Tsc", "win1");
        var (_, shell) = Run(FakeBcdedit, plan.Script, plan.Parameters);
        using var _s = shell;

        Assert.Equal(["/deletevalue", "{current}", "useplatformclock"], Global(shell, "BcdeditArgs"));
    }

    [Fact]
    public void Neither_wmi_nor_bcdedit_is_BcdUnavailable()
    {
        var plan = WindowsBcdPlanner.Plan(Unset, "Rtc", "win1");
        var (json, shell) = Run(string.Empty, plan.Script, plan.Parameters);
        using var _ = shell;

        Assert.Equal("BcdUnavailable", Assert.Throws<KvmTimeException>(() => WindowsBcdPlanner.ParseResult(json, plan)).ErrorId);
    }

    [Fact]
    public void Through_wmi_rtc_sets_the_element_reads_it_back_and_tsc_deletes_it()
    {
        var rtc = WindowsBcdPlanner.Plan(Unset, "Rtc", "win1");
        var (json, shell) = Run(FakeWmi + "\n" + FakeBcdedit, rtc.Script, rtc.Parameters);
        using var _ = shell;
        var set = WindowsBcdPlanner.ParseResult(json, rtc);

        Assert.Equal("WMI", set.Method);
        Assert.True(set.Verified);
        Assert.True(set.Changed);
        Assert.True(set.UsePlatformClockAfter);
        Assert.Contains($"SetBooleanElement {BcdElements.UsePlatformClock} True", Global(shell, "WmiCalls"));
        Assert.Empty(Global(shell, "BcdeditArgs"));

        var tsc = WindowsBcdPlanner.Plan(new WindowsClockInfo { BcdRead = true, UsePlatformClock = true, QpcFrequency = 100_000_000, QpcSource = "hpet", HyperVEnlightenments = [], OsVersion = "10.0" }, "Tsc", "win1");
        shell.Commands.Clear();
        shell.AddScript(tsc.Script);
        foreach (var (name, value) in tsc.Parameters)
        {
            shell.AddParameter(name, value);
        }

        var deleted = WindowsBcdPlanner.ParseResult(string.Join("\n", shell.Invoke().Select(o => o.ToString())), tsc);
        Assert.True(deleted.Changed);
        Assert.Null(deleted.UsePlatformClockAfter);
    }

    [Fact]
    public void Access_denied_is_BcdAccessDenied_and_never_falls_back_to_bcdedit()
    {
        var plan = WindowsBcdPlanner.Plan(Unset, "Rtc", "win1");
        var (json, shell) = Run("$global:DenyWmi = $true\n" + FakeWmi + "\n" + FakeBcdedit, plan.Script, plan.Parameters);
        using var _ = shell;

        Assert.Equal("BcdAccessDenied", Assert.Throws<KvmTimeException>(() => WindowsBcdPlanner.ParseResult(json, plan)).ErrorId);
        Assert.Empty(Global(shell, "BcdeditArgs"));
    }

    [Fact]
    public void The_planner_changes_nothing_that_already_is_as_asked()
    {
        var set = new WindowsClockInfo { BcdRead = true, UsePlatformClock = true, QpcFrequency = 3_579_545, QpcSource = "acpi_pm", HyperVEnlightenments = [], OsVersion = "10.0" };
        Assert.False(WindowsBcdPlanner.Plan(set, "rtc", "win1").IsChange);
        Assert.False(WindowsBcdPlanner.Plan(Unset, "Tsc", "win1").IsChange);
        Assert.Equal("InvalidClocksource", Assert.Throws<KvmTimeException>(() => WindowsBcdPlanner.Plan(Unset, "hpet", "win1")).ErrorId);
        var denied = new WindowsClockInfo { BcdRead = false, BcdError = "Access denied: reading the BCD store needs an elevated (administrator) session.", QpcFrequency = 1, QpcSource = "?", HyperVEnlightenments = [], OsVersion = "10.0" };
        Assert.Equal("BcdAccessDenied", Assert.Throws<KvmTimeException>(() => WindowsBcdPlanner.Plan(denied, "Rtc", "win1")).ErrorId);
    }
}
