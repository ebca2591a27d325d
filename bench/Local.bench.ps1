<#
.SYNOPSIS
    Local benchmark: module import against bare pwsh, and a warm Get-KvmClocksource against cat.
    Aims (issue 2): import under 150 ms over bare pwsh; a warm local call under 2 ms.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 15)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$manifest = Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1'
$sysfs = '/sys/devices/system/clocksource/clocksource0'
$warmup = Join-Path ([System.IO.Path]::GetTempPath()) 'kvmtime-bench-warmup.psm1'
Set-Content -Path $warmup -Value 'function Get-KvmTimeBenchWarmup { 1 }'

# Alternate the two so that machine load hits both alike.
$bareTimes = [System.Collections.Generic.List[double]]::new()
$importTimes = [System.Collections.Generic.List[double]]::new()
$inProcess = [System.Collections.Generic.List[double]]::new()
foreach ($i in 1..$Runs) {
    $bareTimes.Add((Measure-Median -Runs 1 -Warmup 0 { & dotnet $pwshDll -NoProfile -NonInteractive -Command 'exit' }))
    $importTimes.Add((Measure-Median -Runs 1 -Warmup 0 { & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$manifest'; exit" }))
    # The import alone, timed inside the child, after a one-line script module has warmed up
    # PowerShell's own module machinery (which any first Import-Module pays): KvmTime's own cost.
    $inProcess.Add([double](& dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$warmup'; `$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$manifest'; `$w.Elapsed.TotalMilliseconds"))
}
$median = { param($list) $s = @($list | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }
$bare = & $median $bareTimes
$import = & $median $importTimes
$importOnly = & $median $inProcess

Import-Module $manifest
$warm = Measure-Median -Runs 200 -Warmup 20 { Get-KvmClocksource }
$cat = Measure-Median -Runs 200 -Warmup 20 { & cat "$sysfs/current_clocksource" "$sysfs/available_clocksource" /proc/cmdline }
$catBash = Measure-Median -Runs 50 -Warmup 5 { & bash -c "cat $sysfs/current_clocksource $sysfs/available_clocksource /proc/cmdline" }

$rows = @(
    [pscustomobject]@{ Measure = 'pwsh -NoProfile start with Import-Module'; KvmTime = Format-Ms $import; Peer = Format-Ms $bare; Peer_tool = 'bare pwsh -c exit'; Ratio = '{0:0.00}x' -f ($import / $bare); Result = "difference $(Format-Ms ($import - $bare)); KvmTime's own Import-Module, timed in-process after PowerShell's module machinery is warm: $(Format-Ms $importOnly) (aim < 150 ms)" }
    [pscustomobject]@{ Measure = 'Warm clocksource read, in pwsh'; KvmTime = Format-Ms $warm; Peer = Format-Ms $cat; Peer_tool = 'cat of the same 3 files'; Ratio = '{0:0.00}x' -f ($warm / $cat); Result = "aim < 2 ms" }
    [pscustomobject]@{ Measure = 'Warm clocksource read, from a shell'; KvmTime = Format-Ms $warm; Peer = Format-Ms $catBash; Peer_tool = 'bash -c cat'; Ratio = '{0:0.00}x' -f ($warm / $catBash); Result = 'typed object vs text' }
)
$table = ConvertTo-MarkdownTable $rows
$report = @("# Local benchmark", '', "Measured $(Get-Date -Format u) on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores), medians of $Runs process starts and 200 warm calls.", '') + $table
$out = Join-Path $PSScriptRoot 'results/local.md'
Set-Content -Path $out -Value $report
$report
