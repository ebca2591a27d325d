BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
}

Describe 'Set-KernelCStateLimit on the build machine' -Tag 'Local' {
    It 'rejects a limit outside 0..9 before contacting any machine' {
        { Set-KernelCStateLimit -MaxCState 10 -WhatIf } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmTime.Commands.SetKernelCStateLimitCommand'
    }

    It 'fails on the missing boot loader for a persistent limit, naming -Runtime, and changes nothing' {
        $states = Get-ChildItem /sys/devices/system/cpu/cpu*/cpuidle/state*/disable -ErrorAction SilentlyContinue | Get-Content

        Set-KernelCStateLimit -MaxCState 1 -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'BootLoaderNotFound,*'
        $errs[0].Exception.Message | Should -Match 'Use -Runtime'
        Get-ChildItem /sys/devices/system/cpu/cpu*/cpuidle/state*/disable -ErrorAction SilentlyContinue | Get-Content | Should -Be $states
    }

    It 'changes only the running kernel with -Runtime when there is no boot loader, and says so' {
        $result = Set-KernelCStateLimit -MaxCState 1 -Runtime -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $result.Persistent | Should -BeNullOrEmpty
        $result.RebootRequired | Should -BeFalse
        $result.Applied | Should -BeTrue
        $warnings -join ' ' | Should -Match 'no boot loader'
    }
}
