<#
.SYNOPSIS
    Fan-out benchmark (issue 3): Get-KvmClocksource against N loopback SSH targets, side by side
    with what users would otherwise run: parallel-ssh, a plain ssh loop, Invoke-Command over
    PowerShell remoting (SSH transport), and Ansible ad hoc. Writes bench/results/fanout.md.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int[]] $Sizes = @(1, 16, 64), [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1')
Install-DebianPackage pssh, ansible, openssh-client

$max = ($Sizes | Measure-Object -Maximum).Maximum
$sshd = Start-TestSshd -PortCount $max
$work = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$files = '/sys/devices/system/clocksource/clocksource0/current_clocksource /sys/devices/system/clocksource/clocksource0/available_clocksource /proc/cmdline'
$sshOptions = @('-i', $sshd.KeyFilePath, '-o', "UserKnownHostsFile=$($sshd.KnownHostsPath)", '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes')
$rows = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($n in $Sizes) {
        $ports = $sshd.Ports[0..($n - 1)]
        $targets = $ports | ForEach-Object { "127.0.0.1:$_" }
        Set-Content "$work/hosts" ($ports | ForEach-Object { "127.0.0.1:$_ root" })
        Set-Content "$work/inventory" ($ports | ForEach-Object { "h$_ ansible_host=127.0.0.1 ansible_port=$_ ansible_user=root ansible_ssh_private_key_file=$($sshd.KeyFilePath) ansible_ssh_common_args='-o UserKnownHostsFile=$($sshd.KnownHostsPath) -o StrictHostKeyChecking=yes'" })
        $sessions = New-KvmTimeSession -ComputerName $targets -UserName root -KeyFilePath $sshd.KeyFilePath -KnownHostsPath $sshd.KnownHostsPath -ThrottleLimit 64

        $contenders = [ordered]@{
            'KvmTime -ComputerName (new connections)' = { $r = Get-KvmClocksource -ComputerName $targets -UserName root -KeyFilePath $sshd.KeyFilePath -KnownHostsPath $sshd.KnownHostsPath -ThrottleLimit 64; if (@($r).Count -ne $n) { throw 'missing results' } }
            'KvmTime -Session (warm)' = { $r = Get-KvmClocksource -Session $sessions -ThrottleLimit 64; if (@($r).Count -ne $n) { throw 'missing results' } }
            'parallel-ssh (pssh)' = { & parallel-ssh -h "$work/hosts" -p 64 -x ($sshOptions -join ' ') -i "cat $files" | Out-Null }
            'ssh loop' = { foreach ($p in $ports) { & ssh @sshOptions -p $p root@127.0.0.1 "cat $files" | Out-Null } }
            'Invoke-Command over SSH remoting' = {
                # -SSHConnection ignored per-host ports here, so each target gets its own Invoke-Command -Port, 64 at a time.
                $r = $ports | ForEach-Object -ThrottleLimit 64 -Parallel {
                    Invoke-Command -HostName 127.0.0.1 -Port $_ -UserName root -KeyFilePath ($using:sshd).KeyFilePath -Options @{ UserKnownHostsFile = ($using:sshd).KnownHostsPath; StrictHostKeyChecking = 'yes'; BatchMode = 'yes' } -ScriptBlock { Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource }
                }
                if (@($r).Count -ne $n) { throw 'missing results' }
            }
            'ansible -m command' = { $env:ANSIBLE_HOST_KEY_CHECKING = 'True'; $out = & ansible all -i "$work/inventory" -m command -a "cat $files" -f 64; if (@($out | Select-String 'CHANGED|SUCCESS').Count -ne $n) { throw "ansible failed: $out" } }
        }
        $times = [ordered]@{}
        foreach ($name in $contenders.Keys) {
            $times[$name] = Measure-Median -Runs $Runs -Warmup 1 $contenders[$name]
            Write-Host ("N={0,-3} {1,-40} {2}" -f $n, $name, (Format-Ms $times[$name]))
        }
        $ours = $times['KvmTime -Session (warm)']
        foreach ($name in $times.Keys) {
            $rows.Add([pscustomobject]@{
                N = $n; Tool = $name; 'Wall time' = Format-Ms $times[$name]
                'Targets/s' = '{0:0.0}' -f ($n * 1000 / $times[$name])
                'vs KvmTime warm' = '{0:0.00}x' -f ($times[$name] / $ours)
            })
        }
        $sessions | Remove-KvmTimeSession
    }
}
finally {
    Stop-TestSshd $sshd
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
$report = @('# Fan-out benchmark', '',
    "Measured $(Get-Date -Format u) on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores): median of $Runs runs after one warm-up, all against the same sshd processes on 127.0.0.1. 'vs KvmTime warm' is each tool's wall time divided by KvmTime's with warm sessions (above 1 = slower than KvmTime).", '') +
    (ConvertTo-MarkdownTable $rows)
Set-Content -Path (Join-Path $PSScriptRoot 'results/fanout.md') -Value $report
$report
