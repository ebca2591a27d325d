# Tab completion as a user presses Tab: TabExpansion2 on a real command line, in a real pwsh.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
}

Describe 'Tab completion' -Tag 'Local' {
    It 'offers the two presets for Set-KvmDomainClock -Preset' {
        Complete 'Set-KvmDomainClock -Domain x -Preset ' | Should -Be @('Linux', 'Windows')
    }

    It 'offers known clocksource names for Get-ClocksourceEvent -Clocksource' {
        $names = Complete 'Get-ClocksourceEvent -Clocksource '
        $names | Should -Contain 'tsc'
        $names | Should -Contain 'kvm-clock'
    }

    It 'falls back to /etc/hosts for -ComputerName when known_hosts does not exist' {
        $hostsNames = @(Get-Content /etc/hosts | ForEach-Object { ($_ -split '#', 2)[0] -split '\s+' | Select-Object -Skip 1 } | Where-Object { $_ })
        $hostsNames | Should -Not -BeNullOrEmpty -Because '/etc/hosts names at least localhost'
        $names = Complete "Get-KvmClocksource -KnownHostsPath '$TestDrive/none' -ComputerName "
        foreach ($name in $hostsNames) { $names | Should -Contain $name }
    }
}

Describe 'Tab completion of sessions' -Tag 'Ssh' {
    BeforeAll { $script:Sshd = Start-TestSshd }
    AfterAll { Get-KvmTimeSession | Remove-KvmTimeSession; Stop-TestSshd $Sshd }

    It 'offers the open session ids for -Id, with user and host' {
        $s = New-KvmTimeSession -ComputerName "127.0.0.1:$($Sshd.Port)" -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $Sshd.KnownHostsPath
        $line = 'Remove-KvmTimeSession -Id '
        $found = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $found.CompletionText | Should -Contain "$($s.Id)"
        ($found | Where-Object CompletionText -eq "$($s.Id)").ToolTip | Should -Match "root@127.0.0.1:$($Sshd.Port)"
        (Complete 'Get-KvmTimeSession -Id ') | Should -Contain "$($s.Id)"
    }
}

Describe 'Tab completion of libvirt domains' -Tag 'Lab' {
    BeforeAll { $script:Lab = Get-LabFixture }

    It 'offers the domains of this host for -Domain, from virsh' {
        if (-not $Lab) { Set-ItResult -Skipped -Because $env:KVMTIME_LAB_SKIP; return }
        $domain = $Lab.Guests[0].Domain
        Complete "Get-KvmDomainClock -Domain $($domain.Substring(0, 4))" | Should -Contain $domain
        Complete "Sync-GuestTime -Domain $($domain.Substring(0, 4))" | Should -Contain $domain
    }
}
