<#
.SYNOPSIS
    Local benchmark: module import against bare pwsh, and a warm Get-KvmClocksource against cat.
    Aims (issues 2 and 15): KvmTime's own import under 100 ms; a warm local call under 2 ms.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 15)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$manifest = Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1'
$sysfs = '/sys/devices/system/clocksource/clocksource0'
$warmup = Join-Path ([System.IO.Path]::GetTempPath()) 'kvmtime-bench-warmup.psm1'
Set-Content -Path $warmup -Value 'function Get-KvmTimeBenchWarmup { 1 }'

# Where the import goes: the same module staged without its format and type data, and a one-view
# module that shows PowerShell's own first-format-file cost, which any module with views pays.
$noViewsDir = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-bench-noviews-$PID"
Copy-Item -Recurse (Split-Path $manifest) $noViewsDir -Force
(Get-Content (Join-Path $noViewsDir 'KvmTime.psd1')) -notmatch '^\s*(FormatsToProcess|TypesToProcess)\b' | Set-Content (Join-Path $noViewsDir 'KvmTime.psd1')
$oneView = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-bench-oneview-$PID"
New-Item -ItemType Directory -Force $oneView | Out-Null
Set-Content (Join-Path $oneView 'OneView.Format.ps1xml') '<Configuration><ViewDefinitions><View><Name>V</Name><ViewSelectedBy><TypeName>KvmTimeBench.V</TypeName></ViewSelectedBy><ListControl><ListEntries><ListEntry><ListItems><ListItem><PropertyName>A</PropertyName></ListItem></ListItems></ListEntry></ListEntries></ListControl></View></ViewDefinitions></Configuration>'
Set-Content (Join-Path $oneView 'OneView.psd1') "@{ ModuleVersion = '1.0'; FormatsToProcess = @('OneView.Format.ps1xml'); FunctionsToExport = @() }"
$timeImport = { param($path) [double](& dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$warmup'; `$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$path'; `$w.Elapsed.TotalMilliseconds") }
$noViews = [System.Collections.Generic.List[double]]::new()
$firstView = [System.Collections.Generic.List[double]]::new()

# Alternate every measure in one loop so that machine load hits them alike.
$bareTimes = [System.Collections.Generic.List[double]]::new()
$importTimes = [System.Collections.Generic.List[double]]::new()
$inProcess = [System.Collections.Generic.List[double]]::new()
foreach ($i in 1..$Runs) {
    $bareTimes.Add((Measure-Median -Runs 1 -Warmup 0 { & dotnet $pwshDll -NoProfile -NonInteractive -Command 'exit' }))
    $importTimes.Add((Measure-Median -Runs 1 -Warmup 0 { & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$manifest'; exit" }))
    # The import alone, timed inside the child, after a one-line script module has warmed up
    # PowerShell's own module machinery (which any first Import-Module pays): KvmTime's own cost.
    $inProcess.Add((& $timeImport $manifest))
    $noViews.Add((& $timeImport (Join-Path $noViewsDir 'KvmTime.psd1')))
    $firstView.Add((& $timeImport (Join-Path $oneView 'OneView.psd1')))
}
Remove-Item -Recurse -Force $noViewsDir, $oneView

$median = { param($list) $s = @($list | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }
$bare = & $median $bareTimes
$import = & $median $importTimes
$importOnly = & $median $inProcess
$assembliesOnly = & $median $noViews
$powershellFirstView = & $median $firstView

Import-Module $manifest
$warm = Measure-Median -Runs 200 -Warmup 20 { Get-KvmClocksource }
$cat = Measure-Median -Runs 200 -Warmup 20 { & cat "$sysfs/current_clocksource" "$sysfs/available_clocksource" /proc/cmdline }
$catBash = Measure-Median -Runs 50 -Warmup 5 { & bash -c "cat $sysfs/current_clocksource $sysfs/available_clocksource /proc/cmdline" }

$rows = @(
    [pscustomobject]@{ Measure = 'pwsh -NoProfile start with Import-Module'; KvmTime = Format-Ms $import; Peer = Format-Ms $bare; Peer_tool = 'bare pwsh -c exit'; Ratio = '{0:0.00}x' -f ($import / $bare); Result = "difference $(Format-Ms ($import - $bare)); KvmTime's own Import-Module, timed in-process after PowerShell's module machinery is warm: $(Format-Ms $importOnly) (aim < 100 ms)" }
    [pscustomobject]@{ Measure = 'Warm clocksource read, in pwsh'; KvmTime = Format-Ms $warm; Peer = Format-Ms $cat; Peer_tool = 'cat of the same 3 files'; Ratio = '{0:0.00}x' -f ($warm / $cat); Result = "aim < 2 ms" }
    [pscustomobject]@{ Measure = 'Warm clocksource read, from a shell'; KvmTime = Format-Ms $warm; Peer = Format-Ms $catBash; Peer_tool = 'bash -c cat'; Ratio = '{0:0.00}x' -f ($warm / $catBash); Result = 'typed object vs text' }
)
$table = ConvertTo-MarkdownTable $rows
$breakdown = ConvertTo-MarkdownTable @(
    [pscustomobject]@{ Part = 'KvmTime.dll and KvmTime.Core.dll, 15+ cmdlets (manifest without views)'; Time = Format-Ms $assembliesOnly; Note = 'SSH.NET, BouncyCastle and KvmTime.Ssh load on the first SSH connection, not here (tests/pester/Module.Tests.ps1)' }
    [pscustomobject]@{ Part = 'format and type data (the rest of the import)'; Time = Format-Ms ($importOnly - $assembliesOnly); Note = "for comparison, a module with a single view costs $(Format-Ms $powershellFirstView): PowerShell's own first-format-file cost, not KvmTime's" }
    [pscustomobject]@{ Part = 'whole import'; Time = Format-Ms $importOnly; Note = 'aim < 100 ms (issue 15)' }
)
$report = @("# Local benchmark", '', "Measured $(Get-Date -Format u) on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores), medians of $Runs process starts and 200 warm calls.", '') + $table +
    @('', "## Where KvmTime's own import goes", '', "Each part timed inside a child pwsh after a one-line script module warmed PowerShell's module machinery; medians of $Runs.", '') + $breakdown
$out = Join-Path $PSScriptRoot 'results/local.md'
Set-Content -Path $out -Value $report
$report
