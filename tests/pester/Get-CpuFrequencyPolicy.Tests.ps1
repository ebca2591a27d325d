BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:HasCpufreq = [bool](Get-ChildItem /sys/devices/system/cpu/cpu*/cpufreq -ErrorAction Ignore)
    $script:Flags = ((Get-Content /proc/cpuinfo | Where-Object { $_ -match '^flags\s*:' } | Select-Object -First 1) -split ':', 2)[1].Trim() -split '\s+'
}

Describe 'Get-CpuFrequencyPolicy on the build machine' -Tag 'Local' {
    It 'answers plainly that this machine has no cpufreq, and what that means for its TSC' {
        if ($HasCpufreq) { Set-ItResult -Skipped -Because 'this machine has cpufreq; the recorded-sysfs unit tests cover the parser' }
        $p = Get-CpuFrequencyPolicy
        $p.GetType().FullName | Should -Be 'KvmTime.Model.CpuFrequencyPolicy'
        $p.HasCpufreq | Should -BeFalse
        $p.Cpus.Count | Should -Be 0
        $p.Governors.Count | Should -Be 0
        $p.Summary | Should -Match '^No cpufreq: '
        $p.ConstantTsc | Should -Be ('constant_tsc' -in $Flags)
        $p.FrequencyCanMoveTsc | Should -Be (-not ('constant_tsc' -in $Flags))
    }

    It 'formats with its default table view, also deserialized' {
        $p = Get-CpuFrequencyPolicy
        ($p | Format-Table | Out-String) | Should -Match 'ComputerName\s+HasCpufreq\s+Drivers\s+Governors'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($p))
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+HasCpufreq\s+Drivers\s+Governors'
    }
}

Describe 'Get-CpuFrequencyPolicy over SSH (loopback sshd)' -Tag 'Ssh' {
    BeforeAll { $script:Sshd = Start-TestSshd }
    AfterAll { Stop-TestSshd $Sshd }

    It 'gathers the same answer over SSH as locally' {
        $target = "127.0.0.1:$($Sshd.Port)"
        $remote = Get-CpuFrequencyPolicy -ComputerName $target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $Sshd.KnownHostsPath
        $local = Get-CpuFrequencyPolicy
        $remote.ComputerName | Should -Be $target
        $remote.HasCpufreq | Should -Be $local.HasCpufreq
        $remote.ConstantTsc | Should -Be $local.ConstantTsc
        $remote.Summary | Should -Be $local.Summary
    }
}
