BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
}

Describe 'Get-GuestTimeSync on the build machine' -Tag 'Local' {
    It 'names the daemon that pidof sees, or None' {
        $status = Get-GuestTimeSync
        $status.GetType().FullName | Should -Be 'KvmTime.Model.GuestTimeSyncStatus'
        $expected = 'None'
        foreach ($d in 'chronyd', 'ntpd', 'systemd-timesyncd') {
            & sh -c "pidof $d >/dev/null"
            if ($LASTEXITCODE -eq 0) { $expected = $d; break }
        }
        $status.Daemon | Should -Be $expected
        $status.ComputerName | Should -Be ([Environment]::MachineName)
    }

    It 'reads the chrony configuration this machine has, and gives advice only from it' {
        $status = Get-GuestTimeSync
        $conf = @('/etc/chrony/chrony.conf', '/etc/chrony.conf') | Where-Object { Test-Path $_ } | Select-Object -First 1
        $status.ConfigPath | Should -Be $conf
        if ($conf -and -not (Select-String -Path $conf -Pattern '^\s*rtcsync' -Quiet)) {
            $status.Recommendations -join "`n" | Should -Match 'rtcsync'
        }
    }

    It 'says whether this machine is a KVM host, as /dev/kvm and libvirt or QEMU say' {
        $tools = @('virsh', 'libvirtd', 'virtqemud', 'qemu-kvm', 'qemu-system-x86_64', 'qemu-system-aarch64') | Where-Object { Get-Command $_ -ErrorAction Ignore }
        $expected = (Test-Path /dev/kvm) -and @($tools).Count -gt 0
        (Get-GuestTimeSync).IsKvmHost | Should -Be $expected
    }

    It 'formats with its default table view, also deserialized' {
        $status = Get-GuestTimeSync
        ($status | Format-Table | Out-String) | Should -Match 'ComputerName\s+Daemon\s+Synced'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($status))
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+Daemon\s+Synced'
    }
}

Describe 'Get-GuestTimeSync on a Windows guest faked from recorded w32tm outputs (WindowsFake.ps1, loopback PSSession)' -Tag 'Ssh' {
    BeforeAll {
        $script:Sshd = Start-TestSshd
        $script:Windows = New-TestPSSession $Sshd
        Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList (Join-Path $PSScriptRoot '../unit/Samples/windows')
    }
    AfterAll {
        if ($Windows) { Remove-PSSession $Windows }
        Stop-TestSshd $Sshd
    }

    It 'reports the w32time configuration beside the status, recorded output' {
        $status = Get-GuestTimeSync -Session $Windows
        $status.Daemon | Should -Be 'w32time'
        $status.Source | Should -Be 'time.windows.com,0x9'
        $status.SyncType | Should -Be 'NTP'
        $status.NtpServers | Should -Be @('ntp0.as34288.net,0x9')
        $status.MinPollInterval | Should -Be ([timespan]::FromSeconds(64))
        $status.MaxPollInterval | Should -Be ([timespan]::FromSeconds(64))
        $status.SpecialPollInterval | Should -Be ([timespan]::FromSeconds(64))
        $status.ConfigurationSource | Should -Be 'Local'
        $status.HyperVTimeProviderEnabled | Should -BeNullOrEmpty
        ($status | Format-List | Out-String) | Should -Match 'SyncType\s+: NTP'
    }

    It 'takes Local or Policy from the policy registry when w32tm prints an origin word KvmTime does not know (recorded output, hand-made word)' {
        Invoke-Command -Session $Windows {
            $global:FakeW32tmConfiguration = $global:FakeW32tmConfiguration.Replace('(Local)', '(Lokal)')
            $global:FakeW32timePolicy = @{ 'Parameters' = @{ Type = 'NTP'; NtpServer = 'ntp0.as34288.net,0x9' } }
        }
        try {
            $status = Get-GuestTimeSync -Session $Windows
            $status.ConfigurationSource | Should -Be 'Policy'
            $status.SyncType | Should -Be 'NTP'
        }
        finally {
            Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList (Join-Path $PSScriptRoot '../unit/Samples/windows')
        }
    }

    It 'keeps the status (recorded output) when the configuration cannot be read (a hand-written error), and says why' {
        Invoke-Command -Session $Windows { $global:FakeW32tmConfiguration = 'The following error occurred: Access is denied. (0x80070005)' }
        try {
            $status = Get-GuestTimeSync -Session $Windows
            $status.IsSynchronized | Should -BeTrue
            $status.SyncType | Should -BeNullOrEmpty
            $status.Recommendations -join "`n" | Should -Match 'W32TimeConfigurationUnreadable'
        }
        finally {
            Invoke-Command -Session $Windows -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList (Join-Path $PSScriptRoot '../unit/Samples/windows')
        }
    }
}
