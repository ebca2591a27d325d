BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $sysfs = '/sys/devices/system/clocksource/clocksource0'
}

Describe 'Get-KvmClocksource on the build machine (a real KVM guest)' -Tag 'Local' {
    It 'reports what sysfs says, read independently' {
        $info = Get-KvmClocksource

        $info | Should -HaveCount 1
        $info.GetType().FullName | Should -Be 'KvmTime.Model.ClocksourceInfo'
        $info.Current | Should -Be (Get-Content "$sysfs/current_clocksource").Trim()
        $info.Available | Should -Be ((Get-Content "$sysfs/available_clocksource").Trim() -split ' ')
        $info.Os | Should -Be 'Linux'
        $info.ComputerName | Should -Be ([Environment]::MachineName)
    }

    It 'sees kvm-clock offered, as on every KVM guest' {
        (Get-KvmClocksource).Available | Should -Contain 'kvm-clock'
    }

    It 'says whether the current source is vDSO-capable' {
        $info = Get-KvmClocksource
        $info.IsVdsoCapable | Should -Be ($info.Current -in 'tsc', 'kvm-clock')
    }

    It 'lists exactly the timing arguments of /proc/cmdline' {
        $timing = 'clocksource', 'tsc', 'notsc', 'no-kvmclock', 'no-kvmclock-vsyscall', 'processor.max_cstate', 'intel_idle.max_cstate', 'idle', 'nohpet', 'hpet'
        $expected = @((Get-Content /proc/cmdline) -split '\s+--\s+' | Select-Object -First 1) -split '\s+' |
            Where-Object { ($_ -split '=', 2)[0] -in $timing }
        @((Get-KvmClocksource).KernelArguments) | Should -Be @($expected)
    }

    It 'treats ., localhost and the machine name as the local machine' {
        $names = (Get-KvmClocksource -ComputerName '.', 'localhost', ([Environment]::MachineName)).ComputerName
        $names | Should -HaveCount 3
        $names | Sort-Object -Unique | Should -Be ([Environment]::MachineName)
    }

    It 'binds ComputerName by property name from the pipeline' {
        $result = [pscustomobject]@{ ComputerName = 'localhost' } | Get-KvmClocksource
        $result.Current | Should -Not -BeNullOrEmpty
    }

    It 'converts to clean JSON: real properties only, no PowerShell internals' {
        $json = Get-KvmClocksource | ConvertTo-Json -Depth 3
        $parsed = $json | ConvertFrom-Json
        @($parsed.PSObject.Properties.Name) | Should -Be @('ComputerName', 'Os', 'Current', 'Available', 'IsVdsoCapable', 'KernelArguments')
        $json | Should -Not -Match ':\s*null'
        $json | Should -Not -Match 'PS(Computer|Show|Object|TypeNames)|CliXml'
    }

    It 'formats with its default table view' {
        $text = Get-KvmClocksource | Format-Table | Out-String
        $text | Should -Match 'ComputerName\s+Os\s+Current\s+Vdso\s+Available'
    }

    It 'formats its deserialized form with the same view' {
        $clixml = Get-KvmClocksource | ForEach-Object { [System.Management.Automation.PSSerializer]::Serialize($_) }
        $back = [System.Management.Automation.PSSerializer]::Deserialize($clixml)
        $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.KvmTime.Model.ClocksourceInfo'
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+Os\s+Current\s+Vdso\s+Available'
    }

    It 'fails one unreachable target with a specific error and still reports the others' {
        $result = Get-KvmClocksource -ComputerName 'localhost', 'no-such-host.invalid' -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -HaveCount 1
        $errs | Should -HaveCount 1
        $errs[0].TargetObject | Should -Be 'no-such-host.invalid'
        $errs[0].FullyQualifiedErrorId | Should -Not -Match '^UnexpectedFailure'
    }

    It 'says in -Verbose how it reached the machine, what it read and what it returned' {
        $verbose = Get-KvmClocksource -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $name = [Environment]::MachineName
        $verbose | Should -Contain "$($name): this machine, in-process (no -ComputerName)"
        $verbose | Where-Object { $_ -match "^$([regex]::Escape($name)): read current \(\d+ chars\), available \(\d+ chars\)" } | Should -HaveCount 1
        $verbose | Where-Object { $_ -match "^$([regex]::Escape($name)): Get-KvmClocksource done in \d+ ms: 1 ClocksourceInfo$" } | Should -HaveCount 1
    }
}
