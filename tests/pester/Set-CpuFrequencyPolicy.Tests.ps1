# This build machine (a KVM guest) and the lab's TCG guests have no cpufreq: here every path must end
# in CpufreqNotAvailable and change nothing, locally, over SSH and through a PSSession. The runtime
# and boot-time changes themselves run in the xunit tests against recorded sysfs trees
# (tests/unit/CpuFrequency), through the same gather and apply script.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:HasCpufreq = [bool](Get-ChildItem /sys/devices/system/cpu/cpu*/cpufreq -ErrorAction Ignore)
    $script:Watched = '/etc/sysconfig/cpupower', '/etc/default/cpufrequtils', '/etc/cpupower-service.conf', '/etc/systemd/system/multi-user.target.wants/cpupower.service'
    function Get-Trace { $Watched | ForEach-Object { "$_=$(Test-Path $_)" } }
}

Describe 'Set-CpuFrequencyPolicy on the build machine' -Tag 'Local' {
    BeforeEach { if ($HasCpufreq) { Set-ItResult -Skipped -Because 'this machine has cpufreq; the recorded-sysfs unit tests cover the change' } }

    It 'rejects a governor name that is not a sysfs word before contacting any machine' {
        { Set-CpuFrequencyPolicy -Governor 'perf ormance' -WhatIf } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmTime.Commands.SetCpuFrequencyPolicyCommand'
    }

    It 'fails with CpufreqNotAvailable and changes nothing, with and without -Persistent' {
        $before = Get-Trace
        foreach ($persistent in $false, $true) {
            $result = Set-CpuFrequencyPolicy -Governor performance -Persistent:$persistent -Confirm:$false -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CpufreqNotAvailable,KvmTime.Commands.SetCpuFrequencyPolicyCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].Exception.Message | Should -Match 'no CPU frequency scaling .* Nothing was changed'
        }
        Get-Trace | Should -Be $before
    }

    It 'formats its result with a default table view, also deserialized' {
        $type = [KvmTime.Model.CpuFrequencyChangeResult]
        $view = Get-FormatData -TypeName $type.FullName
        $view.FormatViewDefinition[0].Control.Headers.Label | Should -Be 'ComputerName', 'Governor', 'Before', 'Now', 'CpusChanged', 'AtBoot', 'ServiceEnabled', 'Changed'
        (Get-FormatData -TypeName "Deserialized.$($type.FullName)") | Should -Not -BeNullOrEmpty
    }
}

Describe 'Set-CpuFrequencyPolicy over SSH and a PSSession (loopback sshd)' -Tag 'Ssh' {
    BeforeAll { $script:Sshd = Start-TestSshd }
    AfterAll {
        Get-PSSession | Remove-PSSession
        Stop-TestSshd $Sshd
    }

    It 'reports the target without cpufreq by its name, over SSH, and changes nothing' {
        if ($HasCpufreq) { Set-ItResult -Skipped -Because 'this machine has cpufreq' }
        $before = Get-Trace
        $target = "127.0.0.1:$($Sshd.Port)"
        Set-CpuFrequencyPolicy -ComputerName $target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $Sshd.KnownHostsPath -Governor performance -Persistent -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'CpufreqNotAvailable,KvmTime.Commands.SetCpuFrequencyPolicyCommand'
        $errs[0].TargetObject | Should -Be $target
        Get-Trace | Should -Be $before
    }

    It 'fails the same way through a PSSession' {
        if ($HasCpufreq) { Set-ItResult -Skipped -Because 'this machine has cpufreq' }
        $ps = New-PSSession -HostName 127.0.0.1 -Port $Sshd.Port -UserName root -KeyFilePath $Sshd.KeyFilePath -Subsystem powershell -Options @{ UserKnownHostsFile = $Sshd.KnownHostsPath; StrictHostKeyChecking = 'yes' }
        Set-CpuFrequencyPolicy -Session $ps -Governor performance -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'CpufreqNotAvailable,KvmTime.Commands.SetCpuFrequencyPolicyCommand'
    }
}
