BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $flags = ((Get-Content /proc/cpuinfo | Where-Object { $_ -match '^flags\s*:' } | Select-Object -First 1) -split ':', 2)[1].Trim() -split '\s+'
}

Describe 'Test-ConstantTsc on the build machine' -Tag 'Local' {
    It 'reports each TSC flag exactly as /proc/cpuinfo has it' {
        $r = Test-ConstantTsc
        $r.GetType().FullName | Should -Be 'KvmTime.Model.TscReport'
        $r.ConstantTsc | Should -Be ('constant_tsc' -in $flags)
        $r.NonstopTsc | Should -Be ('nonstop_tsc' -in $flags)
        $r.TscKnownFreq | Should -Be ('tsc_known_freq' -in $flags)
        $r.TscReliable | Should -Be ('tsc_reliable' -in $flags)
        $r.TscAdjust | Should -Be ('tsc_adjust' -in $flags)
        $r.IsGuest | Should -Be ('hypervisor' -in $flags)
    }

    It 'finds the invariant TSC this machine has' {
        $r = Test-ConstantTsc
        $r.IsInvariant | Should -BeTrue
        $r.CurrentClocksource | Should -Be (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
    }

    It 'agrees with the kernel log about unstable marks' {
        $log = dmesg 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'dmesg is not readable by this user' }
        $marked = [bool]($log | Select-String -Pattern 'Marking TSC unstable|Marking clocksource .?tsc.? as unstable|Clocksource tsc unstable|TSC found unstable')
        (Test-ConstantTsc).MarkedUnstable | Should -Be $marked
    }

    It 'recommends a clocksource the machine offers' {
        $r = Test-ConstantTsc
        $r.RecommendedClocksource | Should -BeIn (Get-KvmClocksource).Available
        $r.Recommendation | Should -Not -BeNullOrEmpty
    }

    It 'recommends by the CPU flags, not by the current clocksource: tsc on this invariant guest, on tsc and on kvm-clock alike' {
        $sysfs = '/sys/devices/system/clocksource/clocksource0/current_clocksource'
        $original = (Get-Content $sysfs).Trim()
        try {
            foreach ($source in 'tsc', 'kvm-clock') {
                Set-Content -Path $sysfs -Value $source
                $r = Test-ConstantTsc
                $r.CurrentClocksource | Should -Be $source
                $r.RecommendedClocksource | Should -Be 'tsc' -Because "the TSC is invariant and stable whatever runs now ($source)"
                $r.Recommendation | Should -Match 'constant_tsc and nonstop_tsc present'
            }
        }
        finally { Set-Content -Path $sysfs -Value $original }
        (Get-Content $sysfs).Trim() | Should -Be $original
    }

    It '-Quiet returns only a boolean that matches the full report' {
        $quiet = Test-ConstantTsc -Quiet
        $quiet | Should -BeOfType [bool]
        $quiet | Should -Be (Test-ConstantTsc).IsTrustworthy
    }

    It 'formats with its default table view, also deserialized' {
        (Test-ConstantTsc | Format-Table | Out-String) | Should -Match 'ComputerName\s+Invariant\s+Unstable\s+Flags'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Test-ConstantTsc)))
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+Invariant\s+Unstable\s+Flags'
    }
}
