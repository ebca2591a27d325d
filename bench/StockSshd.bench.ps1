<#
.SYNOPSIS
    Fan-out against ONE sshd with stock limits (MaxStartups 10:30:100, MaxSessions 10), issue 11:
    64 targets at once, all on the same sshd, so it refuses logins at random once ten are pending.
    KvmTime side by side with parallel-ssh (-p 64): wall time and, above all, results lost.
    Writes bench/results/stock-sshd.md.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Targets = 64, [int] $Runs = 5)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1')
Install-DebianPackage pssh, openssh-client

$sshd = Start-TestSshd -PortCount 1
$work = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-bench-stock-$PID"
$null = New-Item -ItemType Directory -Force $work
$file = '/sys/devices/system/clocksource/clocksource0/current_clocksource'
$names = @(1..$Targets | ForEach-Object { "127.0.0.1:$($sshd.Port)" })
Set-Content "$work/hosts" ($names | ForEach-Object { "$_ root" })
$sshOptions = "-i $($sshd.KeyFilePath) -o UserKnownHostsFile=$($sshd.KnownHostsPath) -o StrictHostKeyChecking=yes -o BatchMode=yes"
$measured = [ordered]@{ 'KvmTime Get-KvmClocksource -ThrottleLimit 64' = @(); 'parallel-ssh -p 64' = @() }
try {
    foreach ($run in 0..$Runs) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ours = @(Get-KvmClocksource -ComputerName $names -UserName root -KeyFilePath $sshd.KeyFilePath -KnownHostsPath $sshd.KnownHostsPath -ThrottleLimit 64 -ErrorAction SilentlyContinue)
        $oursMs = $watch.Elapsed.TotalMilliseconds
        $watch.Restart()
        # pssh prints one "[n] ... [SUCCESS] host" line per target that answered.
        $theirs = @(& parallel-ssh -h "$work/hosts" -p 64 -t 60 -x $sshOptions -i "cat $file" 2>$null | Select-String '\[SUCCESS\]')
        $theirsMs = $watch.Elapsed.TotalMilliseconds
        if ($run -eq 0) { continue } # warm-up
        $measured['KvmTime Get-KvmClocksource -ThrottleLimit 64'] += [pscustomobject]@{ Ms = $oursMs; Answers = $ours.Count }
        $measured['parallel-ssh -p 64'] += [pscustomobject]@{ Ms = $theirsMs; Answers = $theirs.Count }
        Write-Host ("run {0}: KvmTime {1} answers in {2}; parallel-ssh {3} answers in {4}" -f $run, $ours.Count, (Format-Ms $oursMs), $theirs.Count, (Format-Ms $theirsMs))
    }
}
finally {
    Stop-TestSshd $sshd
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

function Get-Median([double[]] $Values) { $sorted = @($Values | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }
$oursMedian = Get-Median $measured['KvmTime Get-KvmClocksource -ThrottleLimit 64'].Ms
$rows = foreach ($tool in $measured.Keys) {
    $samples = $measured[$tool]
    $median = Get-Median $samples.Ms
    [pscustomobject]@{
        Tool                = $tool
        'Median wall time'  = Format-Ms $median
        'Answers per run'   = ($samples.Answers -join ', ') + " of $Targets"
        'Results lost'      = ($samples | ForEach-Object { $Targets - $_.Answers } | Measure-Object -Sum).Sum
        'vs KvmTime'        = '{0:0.00}x' -f ($median / $oursMedian)
    }
}
$report = @('# Fan-out against one sshd with stock limits', '',
    "Measured $(Get-Date -Format u) on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores): $Targets targets at once, all on one sshd on 127.0.0.1 with Debian's stock MaxStartups 10:30:100 and MaxSessions 10, $Runs runs after one warm-up. 'vs KvmTime' is the tool's median wall time divided by KvmTime's (above 1 = slower). sshd drops logins at random once ten are pending; KvmTime retries a connection dropped before the banner after a short random pause, parallel-ssh reports it failed.", '') +
    (ConvertTo-MarkdownTable $rows)
Set-Content -Path (Join-Path $PSScriptRoot 'results/stock-sshd.md') -Value $report
$report
