BeforeDiscovery {
    $fixturePath = Join-Path $PSScriptRoot '../../out/lab/lab.json'
    $Lab = if (Test-Path $fixturePath) { Get-Content -Raw $fixturePath | ConvertFrom-Json }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:KnownIds = @('ClocksourceWithoutVdso', 'TscNotInvariant', 'TscMarkedUnstable', 'NoTimeDaemon', 'MakestepMissing', 'HostNotSynchronized',
        'TimeNotSynchronized', 'LargeOffset', 'SmearedSourcesMixed', 'RebootPending', 'WindowsDomainWithoutHypervclock', 'DomainRtcOffsetMismatch',
        'WindowsRtcIsUniversal', 'GuestAgentMissing', 'GuestAgentNotConnected')
    $script:ModuleCommands = (Get-Command -Module KvmTime).Name

    # What every health object must hold, whatever the machine: a verdict that is its worst finding, findings worst first, each complete.
    function Assert-HealthShape($Health) {
        $Health.GetType().FullName | Should -Be 'KvmTime.Model.KvmTimeHealth'
        $severities = @($Health.Findings | ForEach-Object { [int]$_.Severity })
        $expected = if ($severities.Count -eq 0) { 'Healthy' } else { [string][KvmTime.Model.HealthVerdict]($severities | Measure-Object -Maximum).Maximum }
        [string]$Health.Verdict | Should -Be $expected
        $severities | Should -Be @($severities | Sort-Object -Descending)
        foreach ($f in $Health.Findings) {
            $KnownIds | Should -Contain $f.Id
            $f.Evidence | Should -Not -BeNullOrEmpty
            $f.Message | Should -Not -BeNullOrEmpty
            if ($f.Fix) { $ModuleCommands | Should -Contain ($f.Fix -split ' ')[0] }
        }
    }
}

Describe 'Test-KvmTimeHealth on this machine (a KVM guest with real sysfs, and a KVM host for the lab)' -Tag 'Local' {
    BeforeAll { $script:Health = Test-KvmTimeHealth }

    It 'returns one object whose verdict is its worst finding, each finding with an Id, evidence and a module command as Fix' {
        @($Health).Count | Should -Be 1
        $Health.ComputerName | Should -Be ([Environment]::MachineName)
        $Health.OperatingSystem | Should -Be 'Linux'
        Assert-HealthShape $Health
    }

    It 'reads the clocksource sysfs shows, the CPU hypervisor flag and the daemon pidof sees' {
        $Health.Clocksource | Should -Be (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
        $Health.IsVirtualMachine | Should -Be ([bool](Select-String -Path /proc/cpuinfo -Pattern '^flags.*\bhypervisor\b' -List))
        $expected = 'None'
        foreach ($d in 'chronyd', 'ntpd', 'systemd-timesyncd') {
            & sh -c "pidof $d >/dev/null"
            if ($LASTEXITCODE -eq 0) { $expected = $d; break }
        }
        $Health.TimeDaemon | Should -Be $expected
    }

    It 'on a KVM host counts the running domains virsh lists, and names each domain finding by its domain' -Skip:(-not (Get-Command virsh -ErrorAction Ignore)) {
        if (-not $Health.IsKvmHost) { Set-ItResult -Skipped -Because 'this machine is no KVM host' }
        $running = @(virsh -q -c qemu:///system list --state-running --name | Where-Object { $_ })
        $Health.DomainCount | Should -Be $running.Count
        foreach ($f in $Health.Findings | Where-Object Id -In 'WindowsDomainWithoutHypervclock', 'DomainRtcOffsetMismatch', 'GuestAgentMissing', 'GuestAgentNotConnected') {
            $running | Should -Contain $f.Subject
        }
    }

    It 'gives local fixes without target parameters, and each runs as written with -WhatIf' {
        foreach ($fix in @($Health.Findings.Fix | Where-Object { $_ })) {
            $fix | Should -Not -Match '-ComputerName|-Session'
            { Invoke-Expression "$fix -WhatIf -ErrorAction Stop" } | Should -Not -Throw
        }
    }

    It '-Quiet returns only whether the machine is Healthy' {
        $quiet = Test-KvmTimeHealth -Quiet
        $quiet | Should -BeOfType [bool]
        $quiet | Should -Be ((Test-KvmTimeHealth).Verdict -eq 'Healthy')
    }
}

Describe 'Test-KvmTimeHealth over SSH, KvmTime sessions and PSSessions (loopback sshd)' -Tag 'Ssh' {
    BeforeAll {
        $script:Sshd = Start-TestSshd
        $script:Target = "127.0.0.1:$($Sshd.Port)"
        $script:Ssh = @{ UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
        $script:Local = Test-KvmTimeHealth
    }
    AfterAll {
        Get-KvmTimeSession | Remove-KvmTimeSession
        Stop-TestSshd $Sshd
    }

    It 'reads the same machine the same way as in-process, in one round trip' {
        $verbose = Test-KvmTimeHealth -ComputerName $Target @Ssh -Verbose 4>&1
        $health = @($verbose | Where-Object { $_ -is [KvmTime.Model.KvmTimeHealth] })
        $health.Count | Should -Be 1
        $health[0].ComputerName | Should -Be $Target
        Assert-HealthShape $health[0]
        $health[0].Clocksource | Should -Be $Local.Clocksource
        $health[0].TimeDaemon | Should -Be $Local.TimeDaemon
        ($health[0].Findings.Id | Sort-Object) -join ',' | Should -Be (($Local.Findings.Id | Sort-Object) -join ',')
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'script of \d+ characters ran' }).Count | Should -Be 1
    }

    It 'addresses each Fix to the target with the parameters it was checked with, and the Fix runs as written with -WhatIf' {
        $health = Test-KvmTimeHealth -ComputerName $Target @Ssh
        $fixes = @($health.Findings.Fix | Where-Object { $_ })
        if ($fixes.Count -eq 0) { Set-ItResult -Skipped -Because 'this machine has no finding with a Fix right now' }
        foreach ($fix in $fixes) {
            $fix | Should -Match ([regex]::Escape("-ComputerName $Target -UserName root -KeyFilePath $($Sshd.KeyFilePath) -KnownHostsPath $($Sshd.KnownHostsPath)"))
            { Invoke-Expression "$fix -WhatIf -ErrorAction Stop" } | Should -Not -Throw
        }
    }

    It 'goes on past a host that refuses the connection: one error for it, the other still answers' {
        $closed = "127.0.0.1:$(Get-FreeTcpPort)"
        $results = Test-KvmTimeHealth -ComputerName $closed, $Target @Ssh -ErrorVariable failed -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results[0].ComputerName | Should -Be $Target
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'HostUnreachable,*'
        $failed[0].TargetObject | Should -Be $closed
    }

    It 'works through a KvmTime session and names it in the Fix' {
        $session = New-KvmTimeSession -ComputerName $Target @Ssh
        $health = Test-KvmTimeHealth -Session $session
        $health.ComputerName | Should -Be $Target
        Assert-HealthShape $health
        foreach ($fix in @($health.Findings.Fix | Where-Object { $_ })) {
            $fix | Should -Match ([regex]::Escape("-Session (Get-KvmTimeSession -Id $($session.Id))"))
            { Invoke-Expression "$fix -WhatIf -ErrorAction Stop" } | Should -Not -Throw
        }
        Remove-KvmTimeSession -Session $session
    }

    It 'works through a PSSession to a Linux machine and names it in the Fix' {
        $ps = New-TestPSSession $Sshd
        try {
            $health = Test-KvmTimeHealth -Session $ps
            $health.OperatingSystem | Should -Be 'Linux'
            $health.Clocksource | Should -Be $Local.Clocksource
            foreach ($fix in @($health.Findings.Fix | Where-Object { $_ })) {
                $fix | Should -Match ([regex]::Escape("-Session (Get-PSSession -Id $($ps.Id))"))
            }
        }
        finally { Remove-PSSession $ps }
    }
}

Describe 'Test-KvmTimeHealth on a Windows guest faked from recorded w32tm outputs (WindowsFake.ps1, loopback PSSession)' -Tag 'Ssh' {
    BeforeAll {
        $script:Sshd = Start-TestSshd
        $script:Windows = New-TestPSSession $Sshd
        $script:Samples = Join-Path $PSScriptRoot '../unit/Samples/windows'
        Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList $Samples
        function Get-FakeSample([string] $Name) {
            $lines = @(Get-Content (Join-Path $Samples $Name) | Where-Object { -not $_.StartsWith('#') })
            ($lines -join "`n").Trim()
        }
    }
    AfterAll {
        if ($Windows) { Remove-PSSession $Windows }
        Stop-TestSshd $Sshd
    }

    It 'is Healthy with a synchronised w32time, in one snippet, recorded output' {
        $verbose = Test-KvmTimeHealth -Session $Windows -Verbose 4>&1
        $health = @($verbose | Where-Object { $_ -is [KvmTime.Model.KvmTimeHealth] })[0]
        $health.OperatingSystem | Should -Be 'Windows'
        $health.TimeDaemon | Should -Be 'w32time'
        $health.IsSynchronized | Should -BeTrue
        $health.Verdict | Should -Be 'Healthy'
        Test-KvmTimeHealth -Session $Windows -Quiet | Should -BeTrue
    }

    It 'reports w32time on the local CMOS clock as not synchronised, recorded output' {
        $unsynced = Get-FakeSample 'w32tm-status-verbose-unsynced-en-US.recorded.txt'
        Invoke-Command -Session $Windows { param($t) $global:FakeW32tmStatus = $t } -ArgumentList $unsynced
        try {
            $health = Test-KvmTimeHealth -Session $Windows
            $health.Findings.Id | Should -Contain 'TimeNotSynchronized'
            $health.Verdict | Should -Be 'Warning'
        }
        finally { Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList $Samples }
    }

    It 'reports a stopped w32time as no time daemon, recorded output' {
        $stopped = Get-FakeSample 'w32tm-service-not-started-en-US.recorded.txt'
        Invoke-Command -Session $Windows { param($t) $global:FakeW32tmStatus = $t } -ArgumentList $stopped
        try {
            $health = Test-KvmTimeHealth -Session $Windows
            $finding = $health.Findings | Where-Object Id -EQ 'NoTimeDaemon'
            $finding.Severity | Should -Be 'Critical'
            $finding.Evidence | Should -Match '0x80070426'
        }
        finally { Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList $Samples }
    }

    It 'reads RealTimeIsUniversal from the registry and reports it in the evidence (hand-written registry stand-in)' {
        Invoke-Command -Session $Windows { $global:FakeTimeZoneInformation = @{ RealTimeIsUniversal = 1 } }
        try {
            $finding = (Test-KvmTimeHealth -Session $Windows).Findings | Where-Object Id -EQ 'WindowsRtcIsUniversal'
            $finding.Evidence | Should -Be 'RealTimeIsUniversal = 1'
            $finding.EvidenceSource | Should -Be 'HKLM:\SYSTEM\CurrentControlSet\Control\TimeZoneInformation'
        }
        finally { Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList $Samples }
    }
}

# The lab guest (Debian 12's chrony layout, busybox init) and this machine as its KVM host: each test
# makes the problem, sees the finding, runs the finding's Fix exactly as given, and sees the finding go.
Describe 'Test-KvmTimeHealth against the lab guest and its KVM host' -Tag 'Lab' -Skip:($null -eq $Lab -or @($Lab.Guests).Count -eq 0) {
    BeforeAll {
        $lab = Get-LabFixture
        $guest = $lab.Guests[0]
        $ssh = Get-LabSsh $guest
        $ssh.Remove('ConnectTimeout'); $ssh.Remove('CommandTimeout')
        function Invoke-Guest([string] $Command) { Invoke-Lab @('ssh', $guest.Name, $Command) }
        function Get-Finding([string] $Id, [hashtable] $On = $ssh) { (Test-KvmTimeHealth @On -ConnectTimeout 30 -CommandTimeout 240).Findings | Where-Object Id -EQ $Id }
        function Wait-Until([scriptblock] $Condition, [int] $Seconds, [string] $What) {
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while (-not (& $Condition)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "not within $Seconds s: $What" }
                Start-Sleep -Seconds 3
            }
        }
        $stock = (Get-Content -Raw (Join-Path $PSScriptRoot '../lab/chrony-debian-layout.conf')).Replace('10.0.2.2', $lab.Ntp.GuestAddress).TrimEnd("`n")
        function Set-GuestChrony([string] $Text) {
            $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text + "`n"))
            $null = Invoke-Guest "rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-*; mkdir -p /etc/chrony/conf.d /etc/chrony/sources.d; echo $b64 | base64 -d > /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true"
        }
        $null = Invoke-Guest 'cp /etc/chrony/chrony.conf /tmp/kvmtime-health-chrony.conf.orig'
        Set-GuestChrony $stock
        function Wait-Synchronised {
            Wait-Until { $null = Invoke-Guest 'chronyc burst 2/2 >/dev/null 2>&1; true'; (Invoke-Guest 'chronyc -n -c sources') -join "`n" -match '(?m)^\^,\*,' } 120 'chronyd selects the lab server'
        }
    }

    AfterAll {
        $null = Invoke-Guest 'echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource; umount /usr/local/sbin/run-qemu-ga 2>/dev/null; rm -f /tmp/kvmtime-no-qga'
        $null = Invoke-Guest 'rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-*; mv -f /tmp/kvmtime-health-chrony.conf.orig /etc/chrony/chrony.conf; /etc/init.d/chrony stop >/dev/null 2>&1; true'
        Set-KernelCStateLimit @ssh -Remove -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $null = Invoke-Guest 'rm -f /etc/default/grub.kvmtime-*; true'
    }

    It 'chronyd stopped: NoTimeDaemon, Critical, and its Fix (Set-GuestTimeSync -Preset Vm) as written starts chronyd again' {
        # The script returns once chronyd's pidfile is gone; wait for the process itself too.
        $null = Invoke-Guest '/etc/init.d/chrony stop >/dev/null 2>&1; i=0; while pidof chronyd >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; true'
        $finding = Get-Finding NoTimeDaemon
        $finding.Severity | Should -Be 'Critical'
        $finding.Fix | Should -Be "Set-GuestTimeSync -ComputerName $($ssh.ComputerName) -UserName root -KeyFilePath $($ssh.KeyFilePath) -KnownHostsPath $($ssh.KnownHostsPath) -Preset Vm"
        $null = Invoke-Expression $finding.Fix
        Invoke-Guest '/etc/init.d/chrony status' | Should -Be 'chronyd is running'
        Get-Finding NoTimeDaemon | Should -BeNullOrEmpty
        # Again, with chronyd running: nothing to start, nothing changes.
        (Invoke-Expression "$($finding.Fix) -PassThru").Changed | Should -BeFalse
    }

    It 'a guest clock 5 s behind: LargeOffset, and its Fix (Sync-GuestTime) as written steps it back' {
        # No makestep and a slow slew, so chronyd neither steps nor slews the offset away before it is seen.
        Set-GuestChrony (($stock -replace '(?m)^makestep.*$', '') + "`nmaxslewrate 100")
        Wait-Synchronised
        $null = Invoke-Guest "date -s @`$((`$(date +%s) - 5)) >/dev/null"
        Wait-Until { $null = Invoke-Guest 'chronyc burst 2/2 >/dev/null 2>&1; true'; $script:offset = Get-Finding LargeOffset; $offset } 120 'chronyd measures the offset'
        $offset.Severity | Should -Be 'Critical'
        $offset.Evidence | Should -Match '^offset -[45]\.'
        $offset.Fix | Should -Be "Sync-GuestTime -ComputerName $($ssh.ComputerName) -UserName root -KeyFilePath $($ssh.KeyFilePath) -KnownHostsPath $($ssh.KnownHostsPath)"
        $null = Invoke-Expression $offset.Fix
        Wait-Until { $null = Invoke-Guest 'chronyc burst 2/2 >/dev/null 2>&1; true'; -not (Get-Finding LargeOffset) } 90 'the offset is gone after the Fix'
        Set-GuestChrony $stock
    }

    It 'Debian''s makestep 1 3: MakestepMissing, and its Fix (Set-GuestTimeSync -Preset Vm) as written makes it go' {
        Wait-Synchronised
        $finding = Get-Finding MakestepMissing
        $finding.Evidence | Should -Be 'makestep 1 3'
        $finding.Fix | Should -Be "Set-GuestTimeSync -ComputerName $($ssh.ComputerName) -UserName root -KeyFilePath $($ssh.KeyFilePath) -KnownHostsPath $($ssh.KnownHostsPath) -Preset Vm"
        $null = Invoke-Expression $finding.Fix
        Invoke-Guest 'cat /etc/chrony/conf.d/kvmtime.conf' | Should -Contain 'makestep 1 -1'
        Get-Finding MakestepMissing | Should -BeNullOrEmpty
    }

    It 'hpet as clocksource: ClocksourceWithoutVdso, and its Fix (Set-GuestClocksource) as written puts tsc back' {
        $null = Invoke-Guest 'echo hpet > /sys/devices/system/clocksource/clocksource0/current_clocksource'
        $finding = Get-Finding ClocksourceWithoutVdso
        $finding.Evidence | Should -Be 'current_clocksource=hpet; available_clocksource=tsc hpet acpi_pm'
        $finding.Fix | Should -BeLike 'Set-GuestClocksource -ComputerName * -Clocksource tsc'
        $null = Invoke-Expression $finding.Fix
        Invoke-Guest 'cat /sys/devices/system/clocksource/clocksource0/current_clocksource' | Should -Be 'tsc'
        Get-Finding ClocksourceWithoutVdso | Should -BeNullOrEmpty
    }

    It 'a C-state limit set for the next boot: RebootPending with no Fix; removed again, it goes' {
        $null = Set-KernelCStateLimit @ssh -MaxCState 1 -Confirm:$false -WarningAction SilentlyContinue
        $finding = Get-Finding RebootPending
        $finding.Evidence | Should -Be 'next boot +processor.max_cstate=1'
        $finding.Fix | Should -BeNullOrEmpty
        $null = Set-KernelCStateLimit @ssh -Remove -Confirm:$false -WarningAction SilentlyContinue
        Get-Finding RebootPending | Should -BeNullOrEmpty
    }

    Context 'on the KVM host (this machine), with the lab domain''s definition edited and put back' {
        BeforeAll {
            $uri = $guest.LibvirtUri
            $script:Original = (virsh -q -c $uri dumpxml --inactive --security-info $guest.Domain) -join "`n"
            $script:Staged = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-health-$([guid]::NewGuid().ToString('N').Substring(0, 8)).xml"
            $script:Backups = @(Get-ChildItem /var/lib/kvmtime/backup -Filter "$($guest.Domain).*" -ErrorAction Ignore).FullName
            function Set-Definition([string] $Xml) {
                Set-Content -Path $Staged -Value $Xml -NoNewline
                $out = virsh -q -c $uri define $Staged 2>&1
                if ($LASTEXITCODE -ne 0) { throw "virsh define failed: $out" }
            }
            function Get-DomainFinding([string] $Id) { (Test-KvmTimeHealth).Findings | Where-Object { $_.Id -eq $Id -and $_.Subject -eq $guest.Domain } }
        }
        AfterEach { Set-Definition $Original }
        AfterAll {
            Remove-Item $Staged -ErrorAction Ignore
            Get-ChildItem /var/lib/kvmtime/backup -Filter "$($guest.Domain).*" -ErrorAction Ignore | Where-Object FullName -NotIn $Backups | Remove-Item
        }

        It 'a domain libosinfo calls Windows, on utc without hypervclock: both Windows findings, and their Fix (Set-KvmDomainClock -Preset Windows) as written makes them go' {
            $windows = $Original -replace '(<domain[^>]*>)', '$1<metadata><libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://microsoft.com/win/10"/></libosinfo:libosinfo></metadata>'
            Set-Definition $windows
            $hypervclock = Get-DomainFinding WindowsDomainWithoutHypervclock
            $offset = Get-DomainFinding DomainRtcOffsetMismatch
            $offset.Evidence | Should -Match "^<clock offset=.utc."
            $hypervclock.Fix | Should -Be "Set-KvmDomainClock -Domain $($guest.Domain) -Preset Windows"
            $offset.Fix | Should -Be $hypervclock.Fix
            $null = Invoke-Expression $hypervclock.Fix -WarningAction SilentlyContinue
            (virsh -q -c $uri dumpxml --inactive $guest.Domain) -join "`n" | Should -Match "<timer name='hypervclock' present='yes'/>"
            Get-DomainFinding WindowsDomainWithoutHypervclock | Should -BeNullOrEmpty
            Get-DomainFinding DomainRtcOffsetMismatch | Should -BeNullOrEmpty
        }

        It 'the agent channel removed from the definition: GuestAgentMissing with no Fix; put back, it goes' {
            Set-Definition ($Original -replace "(?s)<channel type='unix'>\s*<source mode='bind'[^>]*/>\s*<target type='virtio' name='org.qemu.guest_agent.0'/>.*?</channel>", '')
            (virsh -q -c $uri dumpxml --inactive $guest.Domain) -join "`n" | Should -Not -Match 'org.qemu.guest_agent.0'
            $finding = Get-DomainFinding GuestAgentMissing
            $finding.Fix | Should -BeNullOrEmpty
            $finding.EvidenceSource | Should -Be "virsh dumpxml --inactive $($guest.Domain)"
            Set-Definition $Original
            Get-DomainFinding GuestAgentMissing | Should -BeNullOrEmpty
        }
    }

    It 'on the KVM host (this machine): the guest''s agent kept from running is GuestAgentNotConnected for its domain; running again, it goes' {
        $null = Invoke-Guest 'printf "#!/bin/sh\nexec sleep 100000\n" > /tmp/kvmtime-no-qga; chmod +x /tmp/kvmtime-no-qga; mount --bind /tmp/kvmtime-no-qga /usr/local/sbin/run-qemu-ga && kill $(pidof qemu-ga); true'
        try {
            Wait-Until { (virsh -q -c $guest.LibvirtUri dumpxml $guest.Domain) -match "guest_agent.0' state='disconnected'" } 30 'libvirt sees the agent gone'
            $finding = (Test-KvmTimeHealth).Findings | Where-Object { $_.Id -eq 'GuestAgentNotConnected' -and $_.Subject -eq $guest.Domain }
            $finding.Evidence | Should -Match "state=.disconnected."
            $finding.EvidenceSource | Should -Be "virsh dumpxml $($guest.Domain)"
        }
        finally {
            $null = Invoke-Guest 'umount /usr/local/sbin/run-qemu-ga; kill $(pidof sleep) 2>/dev/null; rm -f /tmp/kvmtime-no-qga; true'
        }
        Wait-Until { (virsh -q -c $guest.LibvirtUri dumpxml $guest.Domain) -match "guest_agent.0' state='connected'" } 60 'the agent is back'
        (Test-KvmTimeHealth).Findings | Where-Object { $_.Id -eq 'GuestAgentNotConnected' -and $_.Subject -eq $guest.Domain } | Should -BeNullOrEmpty
    }
}
