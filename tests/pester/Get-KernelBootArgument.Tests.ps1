BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
}

Describe 'Get-KernelBootArgument on the build machine' -Tag 'Local' {
    It 'reports the running arguments and an unknown next boot on a machine without a boot loader' {
        Test-Path /etc/default/grub | Should -BeFalse -Because 'the build machine boots without grub or systemd-boot'

        $result = Get-KernelBootArgument -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs | Should -BeNullOrEmpty
        $result.BootLoader | Should -Be 'None'
        $result.Source | Should -Match '^unknown'
        $words = (Get-Content /proc/cmdline) -split '\s+'
        foreach ($argument in @($result.Running)) { "$argument" | Should -BeIn $words -Because 'running arguments come from /proc/cmdline' }
        $result.RebootRequired | Should -BeFalse
    }

    It 'names the missing tool when a boot loader is forced' {
        Get-KernelBootArgument -BootLoader UpdateGrub -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].FullyQualifiedErrorId | Should -BeLike 'BootLoaderToolMissing,*'
        $errs[0].Exception.Message | Should -Match 'update-grub'
    }

    It 'reads /etc/kernel/cmdline when systemd-boot is forced, and compares only timing arguments with /proc/cmdline' {
        Test-Path /etc/kernel/cmdline | Should -BeFalse
        $result = Get-KernelBootArgument -BootLoader SystemdBoot

        $timing = 'clocksource', 'tsc', 'notsc', 'no-kvmclock', 'processor.max_cstate', 'intel_idle.max_cstate', 'idle'
        $running = @((Get-Content /proc/cmdline) -split '\s+--\s+' | Select-Object -First 1) -split '\s+' | Where-Object { ($_ -split '=', 2)[0] -in $timing }
        @($result.Running) | Should -Be @($running)
        $result.BootLoader | Should -Be 'SystemdBoot'
        $result.RebootRequired | Should -Be ($result.PendingAdded.Count + $result.PendingRemoved.Count -gt 0)
        ($result | Format-Table | Out-String) | Should -Match 'ComputerName\s+BootLoader\s+Running\s+NextBoot\s+RebootRequired'
    }
}
