<#
.SYNOPSIS
    The fleet health report's cost (issue 20): Test-KvmTimeHealth against N loopback targets beside
    one Get-KvmClocksource fan-out (one round trip each), new connections and warm sessions, and
    beside what a user would otherwise run: parallel-ssh with a shell health check (clocksource,
    TSC flags, kernel log, chronyc tracking, boot arguments). Writes bench/results/health.md.
    The aim: the health report costs at most 1.5x one Get-KvmClocksource fan-out.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Targets = 64, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1')
Install-DebianPackage pssh, openssh-client

# Every other port (15 per sshd process): at most 8 logins pending per sshd, below stock MaxStartups
# (10), so no tool loses a connection to sshd's random early drop.
$sshd = Start-TestSshd -PortCount ($Targets * 2)
$ports = @(for ($i = 0; $i -lt $sshd.Ports.Count; $i += 2) { $sshd.Ports[$i] })
$work = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-bench-health-$PID"
$null = New-Item -ItemType Directory -Force $work
$names = @($ports | ForEach-Object { "127.0.0.1:$_" })
Set-Content "$work/hosts" ($names | ForEach-Object { "$_ root" })
$login = @{ ComputerName = $names; UserName = 'root'; KeyFilePath = $sshd.KeyFilePath; KnownHostsPath = $sshd.KnownHostsPath; ThrottleLimit = $Targets; ConnectTimeout = 60 }
$sshOptions = @('-i', $sshd.KeyFilePath, '-o', "UserKnownHostsFile=$($sshd.KnownHostsPath)", '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes')
# What a user would type without KvmTime: the same facts, read by the shell, judged by a human.
$shellCheck = 'cat /sys/devices/system/clocksource/clocksource0/current_clocksource /sys/devices/system/clocksource/clocksource0/available_clocksource /proc/cmdline; ' +
    'grep -m1 -o -w -e constant_tsc -e nonstop_tsc /proc/cpuinfo; (journalctl -k -b -q --no-pager 2>/dev/null || dmesg) | grep -i clocksource; ' +
    'chronyc -n tracking 2>/dev/null; cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null; true'

function Assert-Answers($Results, [string] $Tool) {
    if (@($Results).Count -ne $Targets) { throw "$Tool answered $(@($Results).Count) of $Targets targets" }
}

$rows = [System.Collections.Generic.List[object]]::new()
$sessions = New-KvmTimeSession @login
try {
    $contenders = [ordered]@{
        'Get-KvmClocksource, new connections' = { Assert-Answers (Get-KvmClocksource @login) 'Get-KvmClocksource' }
        'Test-KvmTimeHealth, new connections' = { Assert-Answers (Test-KvmTimeHealth @login) 'Test-KvmTimeHealth' }
        'Get-KvmClocksource -Session (warm)' = { Assert-Answers (Get-KvmClocksource -Session $sessions -ThrottleLimit $Targets) 'Get-KvmClocksource' }
        'Test-KvmTimeHealth -Session (warm)' = { Assert-Answers (Test-KvmTimeHealth -Session $sessions -ThrottleLimit $Targets) 'Test-KvmTimeHealth' }
        'parallel-ssh -p N, shell health check' = { & parallel-ssh -h "$work/hosts" -p $Targets -t 60 -x ($sshOptions -join ' ') -i $shellCheck | Out-Null; if ($LASTEXITCODE -ne 0) { throw "parallel-ssh failed ($LASTEXITCODE)" } }
    }
    $times = [ordered]@{}
    foreach ($name in $contenders.Keys) {
        $times[$name] = Measure-Median -Runs $Runs -Warmup 1 $contenders[$name]
        Write-Host ("N={0} {1,-42} {2}" -f $Targets, $name, (Format-Ms $times[$name]))
    }
    foreach ($name in $times.Keys) {
        $baseline = if ($name -like '*warm*') { $times['Get-KvmClocksource -Session (warm)'] } else { $times['Get-KvmClocksource, new connections'] }
        $rows.Add([pscustomobject]@{
            Tool = $name; 'Median wall' = Format-Ms $times[$name]
            'vs one Get-KvmClocksource fan-out' = '{0:0.00}x' -f ($times[$name] / $baseline)
        })
    }
}
finally {
    $sessions | Remove-KvmTimeSession
    Stop-TestSshd $sshd
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
$load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$report = @('# Fleet health report: cost against one clocksource fan-out', '',
    "Measured $(Get-Date -Format u) on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores, load average $($load -join ' ') at the end): $Targets targets on loopback sshd processes at stock limits, median of $Runs runs after one warm-up, all in one run. 'vs one Get-KvmClocksource fan-out' divides by Get-KvmClocksource with the same kind of connection (new, or warm sessions). The aim of issue 20: at most 1.50x. parallel-ssh runs a shell health check (clocksource, TSC flags, kernel log, chronyc tracking, cpuidle driver) that prints the facts for a human to judge; Test-KvmTimeHealth reads more (boot arguments pending, chrony's configuration, cpufreq, libvirt on hosts) and judges them.", '') +
    (ConvertTo-MarkdownTable $rows)
Set-Content -Path (Join-Path $PSScriptRoot 'results/health.md') -Value $report
$report
