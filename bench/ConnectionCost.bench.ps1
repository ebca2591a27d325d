<#
.SYNOPSIS
    What a new SSH connection costs the client (issue 16): Get-KvmClocksource against N loopback
    targets, new connections, beside parallel-ssh -p N and xargs -P N ssh, for the key exchange
    Debian 12's sshd negotiates (sntrup761x25519-sha512) and for curve25519-sha256 chosen explicitly,
    logged in as root (this machine's root runs a heavy ~/.bashrc for every SSH command) and as a
    plain account whose login shell is /bin/sh. Every tool does the same work: the three files
    Get-KvmClocksource's gather reads (ssh and pssh with one cat).
    The measure is CPU time, not only wall time (the machine is shared): KvmTime's own process CPU
    divided by N, and the CPU of the ssh (and pssh) child processes divided by N. Then the parts of
    one connection, each timed alone (KvmTime's own sntrup761 beside BouncyCastle's, which SSH.NET
    would use). Writes bench/results/connection-cost.md.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Targets = 64, [int] $Runs = 5)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')
$moduleDirectory = (Resolve-Path $ModulePath).Path
Import-Module (Join-Path $moduleDirectory 'KvmTime.psd1')
Install-DebianPackage pssh, openssh-client

$tickMs = 1000 / [int](& getconf CLK_TCK)
$self = [System.Diagnostics.Process]::GetCurrentProcess()
function Get-OwnCpuMs { $self.Refresh(); $self.TotalProcessorTime.TotalMilliseconds }
# utime+stime of the children this process waited for (fields 16 and 17 of /proc/self/stat).
function Get-ChildCpuMs { $fields = ((Get-Content /proc/self/stat) -replace '^.*\) ', '') -split ' '; ([double]$fields[13] + [double]$fields[14]) * $tickMs }

# The server side: the sshd listeners with every per-connection sshd and shell they reaped (utime,
# stime, cutime, cstime), so the bench shows what loopback costs the server too.
function Get-ServerCpuMs {
    ($sshd.Pids | ForEach-Object { $fields = ((Get-Content "/proc/$_/stat") -replace '^.*\) ', '') -split ' '; ([double]$fields[11] + [double]$fields[12] + [double]$fields[13] + [double]$fields[14]) * $tickMs } | Measure-Object -Sum).Sum
}

function Measure-FanOut([scriptblock] $Action) {
    $load = Get-Load; $own = Get-OwnCpuMs; $children = Get-ChildCpuMs; $server = Get-ServerCpuMs; $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $answers = & $Action
    $wall = $watch.Elapsed.TotalMilliseconds
    # The runtime goes on compiling hot code in the background after a fan-out returns: wait until
    # this process is quiet, so that bill goes to the tool that ran up, not to the next one.
    do { $before = Get-OwnCpuMs; Start-Sleep -Milliseconds 500 } while ((Get-OwnCpuMs) - $before -gt 25 -and $watch.Elapsed.TotalSeconds -lt $wall / 1000 + 20)
    [pscustomobject]@{
        WallMs = $wall; Answers = $answers; Load = $load
        OwnCpuMs = (Get-OwnCpuMs) - $own; ChildCpuMs = (Get-ChildCpuMs) - $children; ServerCpuMs = (Get-ServerCpuMs) - $server
        JitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit
    }
}

function Get-Median([double[]] $Values) { $sorted = @($Values | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }

# Every other port of the fixture (15 per sshd process): at most 8 logins pending per sshd, below stock
# MaxStartups (10), so ssh and pssh lose no connection to random drops and every tool does the same work.
$sshd = Start-TestSshd -PortCount ($Targets * 2)
$ports = @(for ($i = 0; $i -lt $sshd.Ports.Count; $i += 2) { $sshd.Ports[$i] })
$work = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-bench-cost-$PID"
$null = New-Item -ItemType Directory -Force $work
# The three files Get-KvmClocksource gathers; ssh and pssh read them with one cat.
$files = '/sys/devices/system/clocksource/clocksource0/current_clocksource /sys/devices/system/clocksource/clocksource0/available_clocksource /proc/cmdline'
$names = @($ports | ForEach-Object { "127.0.0.1:$_" })
function Get-Load { [double](Get-Content /proc/loadavg).Split(' ')[0] }
# -ConnectTimeout 60 like pssh -t 60: ssh itself waits for a banner without limit, and a loaded 2-core
# machine can take longer than the default 10 s to fork 64 sshd children.
$login = @{ ComputerName = $names; KeyFilePath = $sshd.KeyFilePath; KnownHostsPath = $sshd.KnownHostsPath; ThrottleLimit = $Targets; ConnectTimeout = 60 }
$sshOptions = @('-i', $sshd.KeyFilePath, '-o', "UserKnownHostsFile=$($sshd.KnownHostsPath)", '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes')
$sntrup = [pscustomobject]@{ Name = 'sntrup761x25519-sha512'; Note = 'default: Debian 12 sshd offers no ML-KEM'; KvmTime = @{}; OpenSsh = 'sntrup761x25519-sha512@openssh.com' }
$curve = [pscustomobject]@{ Name = 'curve25519-sha256'; Note = 'chosen with -KeyExchangeAlgorithm; not post-quantum'; KvmTime = @{ KeyExchangeAlgorithm = 'curve25519-sha256' }; OpenSsh = 'curve25519-sha256' }
# root: this machine's root ~/.bashrc runs 'pyenv init' (about 110 ms of CPU) for every SSH command,
# which the server pays for every tool alike; the plain account (login shell /bin/sh) is a target
# without that. The same account for every tool in a scenario.
$modes = @(
    [pscustomobject]@{ Kex = $sntrup; Account = 'root'; User = 'root' }
    [pscustomobject]@{ Kex = $sntrup; Account = 'plain'; User = $sshd.UserName }
    [pscustomobject]@{ Kex = $curve; Account = 'plain'; User = $sshd.UserName }
    # As root with every client's key exchange cheap: how fast the server side lets any tool be here.
    [pscustomobject]@{ Kex = $curve; Account = 'root'; User = 'root' }
)
$rows = [System.Collections.Generic.List[object]]::new()
$sequential = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($scenario in $modes) {
        $mode = $scenario.Kex; $user = $scenario.User
        $kvmTime = $mode.KvmTime
        $login.UserName = $user
        Set-Content "$work/hosts" ($names | ForEach-Object { "$_ $user" })
        $negotiated = (Get-KvmClocksource @login -ComputerName $names[0] @kvmTime -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'key exchange (\S+) \(([^)]+)\);' } | ForEach-Object { $Matches[1] }) | Select-Object -First 1
        if ($negotiated -ne $mode.Name) { throw "KvmTime negotiated '$negotiated', expected $($mode.Name)" }
        $kexOption = "KexAlgorithms=$($mode.OpenSsh)"
        $tools = [ordered]@{
            "KvmTime Get-KvmClocksource -ThrottleLimit $Targets" = {
                $answers = @(Get-KvmClocksource @login @kvmTime -ErrorAction SilentlyContinue -ErrorVariable failed).Count
                if ($failed) { Write-Host "KvmTime errors: $(($failed | Group-Object { $_.FullyQualifiedErrorId -replace ',.*' } | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', ')" }
                $answers
            }
            # pssh prints one "[n] ... [SUCCESS] host" line per target that answered.
            "parallel-ssh -p $Targets" = { @(& parallel-ssh -h "$work/hosts" -p $Targets -t 60 -x (($sshOptions + '-o', $kexOption) -join ' ') -i "cat $files" 2>$null | Select-String '\[SUCCESS\]').Count }
            # One ssh per target, nothing else: the OpenSSH client's own cost. cat prints three lines per target.
            "xargs -P $Targets ssh" = { @($ports | & xargs -P $Targets -I '{}' ssh @sshOptions -o $kexOption -p '{}' "$user@127.0.0.1" cat $files 2>$null).Count / 3 }
            # The same, each ssh in a session of its own as pssh starts them (setsid): with the kernel's
            # autogroup scheduling, each session is a group with its own share of a busy machine's CPU.
            "xargs -P $Targets setsid -w ssh" = { @($ports | & xargs -P $Targets -I '{}' setsid -w ssh @sshOptions -o $kexOption -p '{}' "$user@127.0.0.1" cat $files 2>$null).Count / 3 }
        }
        $samples = @{}
        foreach ($tool in $tools.Keys) { $null = Measure-FanOut $tools[$tool]; $samples[$tool] = @() } # warm-up
        foreach ($run in 1..$Runs) {
            foreach ($tool in $tools.Keys) {
                $sample = Measure-FanOut $tools[$tool]
                $samples[$tool] += $sample
                Write-Host ("{0} as {1}, run {2}: {3,-40} {4} answers in {5}, CPU own {6:0} ms, children {7:0} ms, sshd {8:0} ms, load {9}" -f $mode.Name, $scenario.Account, $run, $tool, $sample.Answers, (Format-Ms $sample.WallMs), $sample.OwnCpuMs, $sample.ChildCpuMs, $sample.ServerCpuMs, $sample.Load)
            }
        }

        $kvmTimeTool = @($tools.Keys)[0]; $sshTool = @($tools.Keys)[2]
        $cpuOf = { param($tool, $s) if ($tool -eq $kvmTimeTool) { $s.OwnCpuMs } else { $s.ChildCpuMs } }
        $oursWall = Get-Median $samples[$kvmTimeTool].WallMs
        $sshCpu = Get-Median ($samples[$sshTool] | ForEach-Object { & $cpuOf $sshTool $_ })
        foreach ($tool in $tools.Keys) {
            $wall = Get-Median $samples[$tool].WallMs
            $cpu = Get-Median ($samples[$tool] | ForEach-Object { & $cpuOf $tool $_ })
            $server = Get-Median $samples[$tool].ServerCpuMs
            $rows.Add([pscustomobject]@{
                'Key exchange'                 = "$($mode.Name) ($($mode.Note))"
                Account                        = $scenario.Account
                Tool                           = $tool
                'Load (1 min)'                 = '{0:0.0}' -f (Get-Median $samples[$tool].Load)
                'Median wall'                  = Format-Ms $wall
                'Wall vs KvmTime'              = '{0:0.00}x' -f ($wall / $oursWall)
                'Answers per run'              = ($samples[$tool].Answers -join ', ') + " of $Targets"
                'Client CPU per connection'    = Format-Ms ($cpu / $Targets)
                'CPU vs OpenSSH ssh'           = '{0:0.00}x' -f ($cpu / $sshCpu)
                'sshd CPU per connection'      = Format-Ms ($server / $Targets)
                # Client and server CPU on the same cores: no run on an idle machine can be faster.
                'Idle-machine wall bound'      = Format-Ms (($cpu + $server) / [Environment]::ProcessorCount)
                'Methods JIT-compiled'         = if ($tool -eq $kvmTimeTool) { '{0:0}' -f (Get-Median $samples[$tool].JitMethods) } else { '' }
            })
        }

        # One new connection at a time, to one sshd: no concurrency, the plain per-connection cost.
        if ($mode -eq $curve) { continue } # the one-at-a-time rows: one account per key exchange
        $one = @{ ComputerName = $names[0]; UserName = $user; KeyFilePath = $sshd.KeyFilePath; KnownHostsPath = $sshd.KnownHostsPath }
        $count = 20
        $ours = Measure-FanOut { foreach ($i in 1..$count) { $null = Get-KvmClocksource @one @kvmTime } }
        $theirs = Measure-FanOut { foreach ($i in 1..$count) { $null = & ssh @sshOptions -o $kexOption -p $sshd.Port "$user@127.0.0.1" cat $files } }
        $sequential.Add([pscustomobject]@{ 'Key exchange' = $mode.Name; Account = $scenario.Account; Tool = 'KvmTime Get-KvmClocksource, one new connection at a time'; 'Client CPU per connection' = Format-Ms ($ours.OwnCpuMs / $count); 'Wall per connection' = Format-Ms ($ours.WallMs / $count) })
        $sequential.Add([pscustomobject]@{ 'Key exchange' = $mode.Name; Account = $scenario.Account; Tool = 'ssh (OpenSSH 9.2 client), one at a time'; 'Client CPU per connection' = Format-Ms ($theirs.ChildCpuMs / $count); 'Wall per connection' = Format-Ms ($theirs.WallMs / $count) })
    }

    # A runbook that starts pwsh for one fan-out pays pwsh's startup, the import and the JIT too.
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    $fresh = [System.Collections.Generic.List[object]]::new()
    $command = "Import-Module '$moduleDirectory/KvmTime.psd1'; @(Get-KvmClocksource -ComputerName $($names -join ',') -UserName root -KeyFilePath '$($sshd.KeyFilePath)' -KnownHostsPath '$($sshd.KnownHostsPath)' -ThrottleLimit $Targets -ConnectTimeout 60).Count"
    $startup = @(foreach ($run in 1..3) { (Measure-FanOut { & dotnet $pwsh -NoProfile -Command 'exit' }).ChildCpuMs })
    $cold = @(foreach ($run in 1..3) { Measure-FanOut { [int](& dotnet $pwsh -NoProfile -Command $command) } })
    $fresh.Add([pscustomobject]@{
        'Key exchange' = 'sntrup761x25519-sha512'; Tool = "pwsh -Command 'Import-Module KvmTime; Get-KvmClocksource' ($Targets targets), a new process each time"
        'Answers per run' = ($cold.Answers -join ', ') + " of $Targets"
        'Client CPU per connection' = Format-Ms ((Get-Median $cold.ChildCpuMs) / $Targets)
        'Without pwsh startup' = Format-Ms (((Get-Median $cold.ChildCpuMs) - (Get-Median $startup)) / $Targets)
    })
    $parts = & dotnet $pwsh -NoProfile -File (Join-Path $PSScriptRoot 'ConnectionBreakdown.ps1') -ModuleDirectory $moduleDirectory -KeyFilePath $sshd.KeyFilePath -KnownHostsPath $sshd.KnownHostsPath -Port $sshd.Port | ConvertFrom-Json
}
finally {
    Stop-TestSshd $sshd
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

$partRows = $parts | ForEach-Object { [pscustomobject]@{ Part = $_.Part; 'CPU per operation' = Format-Ms $_.CpuMsPerOp; 'First call (JIT, loading)' = Format-Ms $_.FirstCallMs } }
$report = @('# What a new SSH connection costs the client', '',
    "Measured $(Get-Date -Format u) on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores, shared with other builds, so CPU time is the measure): $Targets targets on $(@($sshd.Pids).Count) sshd processes on 127.0.0.1 (at most 8 per sshd, below stock MaxStartups), new connections, median of $Runs runs after one warm-up, all tools in the same run. 'Client CPU per connection' is KvmTime's own process CPU time, or the CPU of the ssh (and pssh) processes, divided by $Targets. 'CPU vs OpenSSH ssh' divides by xargs -P $Targets ssh, which is the OpenSSH client alone. 'sshd CPU per connection' is the server side on the same $([Environment]::ProcessorCount) cores (the sshd listeners and all they reaped: sshd, the login shell and what it runs), which every tool pays. 'Idle-machine wall bound' is (client CPU + sshd CPU) / cores for the whole fan-out: the fastest that tool's run could be on this machine without other load. 'Load (1 min)' is the load average as the run started (the other engineers' builds). Every tool reads the same three files (current_clocksource, available_clocksource, /proc/cmdline): Get-KvmClocksource's gather, and one cat for ssh and pssh. 'Account': root, whose ~/.bashrc on this machine runs pyenv init (about 110 ms of CPU) for every SSH command, or a plain account with /bin/sh as its login shell. The setsid row is xargs ssh with each ssh in a session of its own, as parallel-ssh starts its ssh processes: with the kernel's autogroup scheduling (on here) each session is a scheduling group with its own share of a busy machine's CPU, so it shows what that alone does to the wall time. 'Methods JIT-compiled' counts the methods the JIT compiled in KvmTime's process during one fan-out (System.Runtime.JitInfo): after the warm-up, tier-1 recompilation of code that became hot (the first fan-out of a process pays for the rest: see 'A new pwsh process per fan-out').", '',
    '## Fan-out, new connections', '') + (ConvertTo-MarkdownTable $rows) + @('', '## One new connection at a time', '') + (ConvertTo-MarkdownTable $sequential) +
    @('', '## A new pwsh process per fan-out', '', "Median of 3; the CPU of the whole pwsh process (startup, Import-Module, JIT, $Targets connections) divided by $Targets, and the same less the CPU of a pwsh that starts and exits.", '') + (ConvertTo-MarkdownTable $fresh) +
    @('', '## The parts of one connection, each timed alone', '', 'Steady-state CPU per operation in a fresh pwsh after warm-up; the first call (JIT, type loading) apart. SSH.NET rows use the library alone, without KvmTime.', '') + (ConvertTo-MarkdownTable $partRows)
Set-Content -Path (Join-Path $PSScriptRoot 'results/connection-cost.md') -Value $report
$report
