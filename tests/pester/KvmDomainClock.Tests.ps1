BeforeDiscovery {
    $LabSkipped = [bool]$env:KVMTIME_LAB_SKIP
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force

    function Get-DomainXml([string] $Uri, [string] $Domain) {
        $xml = & virsh -q -c $Uri dumpxml --inactive $Domain
        if ($LASTEXITCODE -ne 0) { throw "virsh dumpxml $Domain failed: $xml" }
        $xml -join "`n"
    }

    # Power the domain off and on (a reboot inside the guest keeps the old clock), then wait for sshd.
    function Restart-LabDomain([pscustomobject] $Guest, [hashtable] $Ssh) {
        & virsh -q -c $Guest.LibvirtUri destroy $Guest.Domain | Out-Null
        & virsh -q -c $Guest.LibvirtUri start $Guest.Domain | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "virsh start $($Guest.Domain) failed" }
        $deadline = [DateTime]::UtcNow.AddSeconds(240)
        while ([DateTime]::UtcNow -lt $deadline) {
            $info = Get-KvmClocksource @Ssh -ErrorAction SilentlyContinue
            if ($info) { return $info }
            Start-Sleep -Seconds 3
        }
        throw "$($Guest.Domain) did not answer over SSH within 240 s after start"
    }
}

Describe 'Set-KvmDomainClock refuses bad input before touching any host' -Tag 'Local' {
    It 'refuses -Preset <Preset> at binding, naming the two presets' -ForEach @{ Preset = 'Solaris' }, @{ Preset = 'BSD' } {
        { Set-KvmDomainClock -Domain any -Preset $Preset -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmTime.Commands.SetKvmDomainClockCommand' -ExpectedMessage '*Linux,Windows*'
    }

    It 'fails a domain name that could reach a shell with InvalidDomainName' {
        { Get-KvmDomainClock -Domain "x'; reboot; '" -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDomainName,KvmTime.Commands.GetKvmDomainClockCommand'
    }

    It 'fails a bad timer setting with InvalidTimerSetting, and no change at all with NoClockChangeGiven' {
        { Set-KvmDomainClock -Domain any -Timer @{ Name = 'pit'; Track = 'guest' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidTimerSetting,KvmTime.Commands.SetKvmDomainClockCommand'
        { Set-KvmDomainClock -Domain any -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoClockChangeGiven,KvmTime.Commands.SetKvmDomainClockCommand'
    }
}

Describe 'Get-KvmDomainClock and Set-KvmDomainClock against the lab''s libvirt' -Tag 'Lab' -Skip:$LabSkipped {
    BeforeAll {
        $script:Lab = Get-LabFixture
        $script:Guest = $Lab.Guests[0]
        $script:GuestSsh = Get-LabSsh $Guest
        $script:Uri = $Guest.LibvirtUri
        $script:Backups = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-clock-backup-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $script:Copy = "$($Guest.Domain)-wincopy"
        # A defined-but-never-started copy: libvirt validates the Windows preset without QEMU (TCG has no Hyper-V).
        $copyXml = (Get-DomainXml $Uri $Guest.Domain) -replace "<name>[^<]+</name>", "<name>$Copy</name>" -replace '\s*<uuid>[^<]+</uuid>', ''
        $copyFile = Join-Path $TestDrive 'copy.xml'
        Set-Content -Path $copyFile -Value $copyXml
        & virsh -q -c $Uri undefine $Copy 2>$null | Out-Null
        & virsh -q -c $Uri define $copyFile | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "could not define $Copy" }
    }

    AfterAll {
        & virsh -q -c $Uri undefine $Copy | Out-Null
        Remove-Item -Recurse -Force $Backups -ErrorAction Ignore
    }

    It 'reads the lab domain''s clock as virsh dumpxml has it' {
        $clock = Get-KvmDomainClock -Domain $Guest.Domain -LibvirtUri $Uri
        $xml = [xml](Get-DomainXml $Uri $Guest.Domain)
        $clock.GetType().FullName | Should -Be 'KvmTime.Model.KvmDomainClock'
        $clock.State | Should -Be 'running'
        $clock.Offset | Should -Be $xml.domain.clock.offset
        @($clock.Timers).Count | Should -Be @($xml.domain.clock.timer | Where-Object { $_ }).Count
    }

    It 'writes DomainNotFound for a missing domain and still reads the others' {
        $clocks = Get-KvmDomainClock -Domain 'kvmtime-no-such-domain', $Guest.Domain -ErrorVariable errs -ErrorAction SilentlyContinue
        @($clocks).Domain | Should -Be $Guest.Domain
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DomainNotFound,*'
    }

    It '-WhatIf shows the diff and changes nothing' {
        $before = Get-DomainXml $Uri $Guest.Domain
        $notApplied = Set-KvmDomainClock -Domain $Guest.Domain -Preset Linux -BackupPath $Backups -WhatIf -PassThru
        $notApplied.Changed | Should -BeFalse
        $notApplied.BackupPath | Should -BeNullOrEmpty
        $notApplied.Changes | Should -Contain 'timer hpet: (absent) -> hpet(present=no)'
        $shown = Invoke-ChildPwsh "Import-Module '$env:KVMTIME_MODULE/KvmTime.psd1'; Set-KvmDomainClock -Domain '$($Guest.Domain)' -Preset Linux -BackupPath '$Backups' -WhatIf" | Out-String
        $shown | Should -Match 'What if: .*timer hpet: \(absent\) -> hpet\(present=no\)'
        $shown | Should -Match "(?m)^\+    <timer name='hpet' present='no'/>"
        Get-DomainXml $Uri $Guest.Domain | Should -Be $before
        Test-Path $Backups | Should -BeFalse
    }

    It 'applies the Linux preset; after a power cycle the guest has no hpet; a second run changes nothing' {
        try {
            $before = Get-DomainXml $Uri $Guest.Domain
            $result = Set-KvmDomainClock -Domain $Guest.Domain -Preset Linux -BackupPath $Backups -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
            $result.Changed | Should -BeTrue
            $result.RestartRequired | Should -BeTrue
            $warnings | Should -HaveCount 1
            Get-Content -Raw $result.BackupPath | Should -Be "$before`n"
            $after = Get-DomainXml $Uri $Guest.Domain
            $after | Should -Match "<timer name='rtc' tickpolicy='catchup'/>\s*<timer name='pit' tickpolicy='delay'/>\s*<timer name='hpet' present='no'/>"
            $result.Clock.MatchesPreset | Should -Be 'Linux'

            $again = Set-KvmDomainClock -Domain $Guest.Domain -Preset Linux -BackupPath $Backups -PassThru
            $again.Changed | Should -BeFalse
            $again.RestartRequired | Should -BeFalse
            Get-DomainXml $Uri $Guest.Domain | Should -Be $after

            $info = Restart-LabDomain $Guest $GuestSsh
            $info.Available | Should -Not -Contain 'hpet'
            $info.Available | Should -Contain 'acpi_pm'
        }
        finally {
            Invoke-Lab restart, $Guest.Name, --hpet | Out-Null
        }
        (Get-KvmClocksource @GuestSsh).Available | Should -Contain 'hpet'
        (Get-KvmDomainClock -Domain $Guest.Domain).Timers | Should -BeNullOrEmpty
    }

    It 'applies the Windows preset to a defined copy: hypervclock, stimer with synic and vpindex, localtime' {
        $result = Set-KvmDomainClock -Domain $Copy -Preset Windows -BackupPath $Backups -PassThru -Confirm:$false
        $result.Changed | Should -BeTrue
        $result.RestartRequired | Should -BeFalse -Because 'the copy was never started'
        $xml = Get-DomainXml $Uri $Copy
        $xml | Should -Match "<clock offset='localtime'>"
        $xml | Should -Match "<timer name='hypervclock' present='yes'/>"
        $xml | Should -Match "<timer name='hpet' present='no'/>"
        foreach ($name in 'stimer', 'synic', 'vpindex', 'relaxed', 'vapic') { $xml | Should -Match "<$name state='on'/>" }
        $xml | Should -Match "<spinlocks state='on' retries='8191'/>"
        (Get-KvmDomainClock -Domain $Copy).MatchesPreset | Should -Be 'Windows'
        (Set-KvmDomainClock -Domain $Copy -Preset Windows -BackupPath $Backups -PassThru).Changed | Should -BeFalse
    }

    It 'sets one timer on top of a preset and can remove it again' {
        $result = Set-KvmDomainClock -Domain $Copy -Timer @{ Name = 'tsc'; Mode = 'native' } -BackupPath $Backups -PassThru
        $result.Changes | Should -Be @('timer tsc: (absent) -> tsc(mode=native)')
        Get-DomainXml $Uri $Copy | Should -Match "<timer name='tsc' mode='native'/>"
        (Set-KvmDomainClock -Domain $Copy -RemoveTimer tsc -BackupPath $Backups -PassThru).Changes | Should -Be @('timer tsc: tsc(mode=native) -> (absent)')
    }

    It 'sets a timer over SSH as a non-root user through sudo: the staged XML reaches virsh on stdin, the password only sudo' {
        $sshd = Start-TestSshd
        try {
            $cred = [pscredential]::new($sshd.UserName, (ConvertTo-SecureString $sshd.Password -AsPlainText -Force))
            $remote = @{ ComputerName = "127.0.0.1:$($sshd.Port)"; Credential = $cred; KnownHostsPath = $sshd.KnownHostsPath; UseSudo = $true }
            $result = Set-KvmDomainClock -Domain $Copy -Timer @{ Name = 'tsc'; Mode = 'native' } -BackupPath $Backups -PassThru @remote
            $result.Changed | Should -BeTrue
            Get-DomainXml $Uri $Copy | Should -Match "<timer name='tsc' mode='native'/>"
            (Set-KvmDomainClock -Domain $Copy -RemoveTimer tsc -BackupPath $Backups -PassThru @remote).Changed | Should -BeTrue
            Get-DomainXml $Uri $Copy | Should -Not -Match "name='tsc'"
            $sshd.Account.CanaryPath | Should -Not -Exist
        }
        finally { Stop-TestSshd $sshd }
    }

    It 'reads the same clock from the host over SSH' {
        $sshd = Start-TestSshd
        try {
            $remote = Get-KvmDomainClock -Domain $Copy -ComputerName "127.0.0.1:$($sshd.Port)" -UserName root -KeyFilePath $sshd.KeyFilePath -KnownHostsPath $sshd.KnownHostsPath
            $local = Get-KvmDomainClock -Domain $Copy
            $remote.ComputerName | Should -Be "127.0.0.1:$($sshd.Port)"
            ($remote.Timers | ForEach-Object ToString) | Should -Be ($local.Timers | ForEach-Object ToString)
            $remote.MatchesPreset | Should -Be 'Windows'
        }
        finally { Stop-TestSshd $sshd }
    }
}
