# Every example in docs/ runs, so that none rots. Host names in the examples are pointed at this
# machine through a real loopback sshd (as root, key and known_hosts of the fixture), domain names
# at the lab's libvirt guest, agent sockets at the lab's plain QEMU guest, and log paths at real
# sample files; -WhatIf is added to every command that would change something. Only examples that
# need what no Linux build machine has (a Windows guest) are skipped, with that reason.
BeforeDiscovery {
    $docs = Join-Path $PSScriptRoot '../../docs'
    $script:Examples = foreach ($page in Get-ChildItem $docs -Filter '*-*.md') {
        $text = Get-Content -Raw $page.FullName
        foreach ($m in [regex]::Matches($text, '(?ms)^### (Example \d+[^\n]*)\n```powershell\n(.*?)\n```')) {
            $block = $m.Groups[2].Value
            $code = if ($block -notmatch '(?m)^PS> ') { $block } else {
                # Statements start at 'PS> '; '>>' lines and lines after an open '|', '{' or ',' continue them; the rest is output.
                $statements = [System.Collections.Generic.List[string]]::new()
                foreach ($line in $block -split "`n") {
                    if ($line -match '^PS> (.*)$') { $statements.Add($Matches[1]) }
                    elseif ($line -match '^>>(.*)$' -and $statements.Count) { $statements[-1] += "`n" + $Matches[1] }
                    elseif ($statements.Count -and $statements[-1] -match '[|{,]\s*$' -and $line.Trim()) { $statements[-1] += "`n" + $line }
                }
                $statements -join "`n"
            }
            $windows = $code -match 'New-PSSession|-Method W32Time|Windows'
            @{ Name = "$($page.BaseName): $($m.Groups[1].Value)"; Code = $code; Reason = if ($windows) { 'needs a Windows guest (its paths are tested on recorded outputs)' } else { $null } }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Sysfs = '/sys/devices/system/clocksource/clocksource0/current_clocksource'
    $script:SysfsCurrent = (Get-Content $Sysfs).Trim()
    $script:Sshd = Start-TestSshd -PortCount 2
    $script:Hosts = @($Sshd.Ports | ForEach-Object { "127.0.0.1:$_" })
    $script:Lab = Get-LabFixture
    $script:Samples = Join-Path $PSScriptRoot '../unit/Samples/kernellog'
    $script:Work = Join-Path $TestDrive 'work'
    $null = New-Item -ItemType Directory $Work
    Set-Content (Join-Path $Work 'guests.txt') $Hosts
    Copy-Item (Join-Path $Samples 'build-machine-dmesg.txt') (Join-Path $Work 'dmesg-before-reboot.txt')
    # One key and one known_hosts for both kinds of target: the lab guest's key is also trusted by
    # the loopback sshd (its authorized_keys is the fixture's own file).
    $key, $known = $Sshd.KeyFilePath, $Sshd.KnownHostsPath
    $script:GuestHosts = $Hosts
    if ($Lab) {
        $guest = $Lab.Guests[0]
        $key = $guest.KeyFilePath
        Add-Content (Join-Path $Sshd.Directory 'authorized_keys') (Get-Content -Raw "$key.pub").Trim()
        $known = Join-Path $TestDrive 'known_hosts'
        Set-Content $known ((Get-Content $Sshd.KnownHostsPath) + (Get-Content $guest.KnownHostsPath))
        $script:GuestHosts = @("$($guest.SshHost):$($guest.SshPort)")
        # The in-guest sync examples need a time daemon: start the guest's chronyd for them, and stop it after if it was not running.
        $script:StartedChrony = (& bash (Join-Path $PSScriptRoot '../lab/lab.sh') ssh $guest.Name 'pidof chronyd >/dev/null && echo running || { /etc/init.d/chrony start >/dev/null 2>&1; echo started; }') -match 'started'
    }
    foreach ($cmd in Get-Command -Module KvmTime) {
        foreach ($p in 'UserName', 'KeyFilePath', 'KnownHostsPath') {
            if ($cmd.Parameters.ContainsKey($p) -and $cmd.Name -ne 'Get-KvmTimeSession') {
                $global:PSDefaultParameterValues["$($cmd.Name):$p"] = @{ UserName = 'root'; KeyFilePath = $key; KnownHostsPath = $known }[$p]
            }
        }
    }

    # Points an example at what this machine has.
    function ConvertTo-RunnableExample([string] $Code) {
        # KVM host examples reach this machine (libvirt runs here) through the loopback sshd; guest
        # examples reach the lab's guest, which has a boot loader and a time daemon.
        $hostSide = $Code -match 'KvmDomainClock|-Domain|-All\b|KvmTimeSession'
        $hostList = ((($hostSide) ? $Hosts : $GuestHosts) | ForEach-Object { "'$_'" }) -join ', '
        $Code = [regex]::Replace($Code, '-ComputerName\s+(?![(''"$])[\w.:-]+(?![\w.:*-])(\s*,\s*[\w.:-]+)*', "-ComputerName $hostList")
        Set-Content (Join-Path $Work 'guests.txt') ((($hostSide) ? $Hosts : $GuestHosts))
        # The lab's guests run under TCG, which has no kvm-clock: hpet stands in for it there.
        if ($Lab -and -not $hostSide -and $Code -match '-ComputerName') { $Code = $Code.Replace('-Clocksource kvm-clock', '-Clocksource hpet') }
        $Code = [regex]::Replace($Code, '-(UserName|KeyFilePath)\s+[^\s|)]+|-Credential\s+\([^)]*\)|-AcceptNewHostKey', '')
        $Code = $Code.Replace('$guests', "@($hostList)").Replace('/srv/logs/web07/kern.log*', (Join-Path $Samples 'real/*.txt'))
        $Code = [regex]::Replace($Code, '-Id \d+', '-Id (Get-KvmTimeSession)[0].Id')
        if ($Lab) {
            $domain = $Lab.Guests[0].Domain
            $Code = [regex]::Replace($Code, '-Domain\s+[\w.-]+(\s*,\s*[\w.-]+)*', "-Domain '$domain' -LibvirtUri '$($Lab.Guests[0].LibvirtUri)'")
            $Code = [regex]::Replace($Code, '-AgentSocket\s+\S+', "-AgentSocket '$($Lab.QemuGuests[0].AgentSocket)'")
        }
        # A watch that would run until Ctrl-C (a service) gets a few seconds here.
        $Code = [regex]::Replace($Code, '\bWatch-GuestTime((?:[^|\n]|\n(?!\S))*)', { param($c) if ($c.Value -match '-Duration') { $c.Value } else { 'Watch-GuestTime' + $c.Groups[1].Value.TrimEnd() + ' -Duration 0:0:5 ' } })
        # -WhatIf on every command that would change something (or write a file), after its own arguments.
        [regex]::Replace($Code, '\b((?:Set|Sync|Remove|Watch|Export)-[A-Za-z]+)((?:[^|\n]|\n(?!\S))*)', { param($c) if ($c.Value -match '-WhatIf') { $c.Value } else { $c.Groups[1].Value + $c.Groups[2].Value.TrimEnd() + ' -WhatIf' } })
    }
}

AfterAll {
    if ($StartedChrony) { $null = & bash (Join-Path $PSScriptRoot '../lab/lab.sh') ssh $Lab.Guests[0].Name '/etc/init.d/chrony stop >/dev/null 2>&1 || killall chronyd' }
    foreach ($key in @($global:PSDefaultParameterValues.Keys | Where-Object { $_ -match '^[A-Za-z]+-(Kvm|Guest|Clocksource|Kernel|Constant)' })) { $global:PSDefaultParameterValues.Remove($key) }
    Get-KvmTimeSession | Remove-KvmTimeSession
    Stop-TestSshd $Sshd
}

Describe 'docs/ examples' -Tag 'Lab' {
    It 'found the examples of every docs page' {
        $Examples.Count | Should -BeGreaterThan 30
        @($Examples | Where-Object { -not $_.Reason }).Count | Should -BeGreaterOrEqual 30
    }

    It '<Name>' -ForEach $Examples {
        if ($Reason) { Set-ItResult -Skipped -Because $Reason; return }
        if (-not $Lab -and $Code -match '-Domain|-AgentSocket|-All\b|GuestClocksource|KernelCStateLimit|GuestTimeSync|-Method') { Set-ItResult -Skipped -Because "needs the lab's guest: $env:KVMTIME_LAB_SKIP"; return }
        if (-not (Get-KvmTimeSession)) { $null = New-KvmTimeSession -ComputerName $Hosts[0] }
        $runnable = ConvertTo-RunnableExample $Code
        Push-Location $Work
        try {
            # Any error the example does not handle itself fails it, with the code as it ran.
            $example = [scriptblock]::Create($runnable)
            { $ErrorActionPreference = 'Stop'; $WarningPreference = 'SilentlyContinue'; $null = . $example 6>&1 5>&1 4>&1 } | Should -Not -Throw -Because "the example ran as:`n$runnable"
        }
        finally { Pop-Location }
        (Get-Content $Sysfs).Trim() | Should -Be $SysfsCurrent -Because 'examples run with -WhatIf change nothing'
    }
}
