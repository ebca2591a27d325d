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
