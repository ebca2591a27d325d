BeforeAll {
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
