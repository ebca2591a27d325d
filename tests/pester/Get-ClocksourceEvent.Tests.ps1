BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $Samples = Join-Path $PSScriptRoot '../unit/Samples/kernellog'
    $Sysfs = '/sys/devices/system/clocksource/clocksource0'
}

Describe 'Get-ClocksourceEvent on the build machine' -Tag 'Local' {
    Context 'switching the clocksource to kvm-clock and back' {
        BeforeAll {
            $script:original = (Get-Content "$Sysfs/current_clocksource").Trim()
            $available = (Get-Content "$Sysfs/available_clocksource").Trim() -split '\s+'
            $script:canSwitch = $IsLinux -and ('kvm-clock' -in $available) -and $original -ne 'kvm-clock' -and
                (Test-Path "$Sysfs/current_clocksource") -and ((id -u) -eq 0)
            if ($canSwitch) {
                try {
                    Start-Sleep -Milliseconds 1100   # keep earlier switches out of the window below
                    $script:windowStart = [datetime]::UtcNow
                    Set-Content "$Sysfs/current_clocksource" 'kvm-clock' -NoNewline
                    $script:toKvm = [datetime]::UtcNow
                    Start-Sleep -Milliseconds 300
                    Set-Content "$Sysfs/current_clocksource" $original -NoNewline
                    $script:back = [datetime]::UtcNow
                }
                finally {
                    # Always restore the machine's clocksource, whatever happened above.
                    Set-Content "$Sysfs/current_clocksource" $original -NoNewline
                }
            }
        }

        AfterAll {
            if ($canSwitch -and (Get-Content "$Sysfs/current_clocksource").Trim() -ne $original) {
                Set-Content "$Sysfs/current_clocksource" $original -NoNewline
            }
        }

        It 'shows exactly those two Switched events with their UTC times' {
            if (-not $canSwitch) { Set-ItResult -Skipped -Because 'this machine cannot switch to kvm-clock as root' }
            $events = @(Get-ClocksourceEvent -Source Dmesg -Since (Get-Date).AddMinutes(-1) -Kind Switched |
                Where-Object TimeCreated -GE $windowStart.AddSeconds(-1))
            $events.Count | Should -Be 2
            $events[0].Clocksource | Should -Be 'kvm-clock'
            $events[1].Clocksource | Should -Be $original
            $events[0].TimeCreated.Kind | Should -Be 'Utc'
            [math]::Abs(($events[0].TimeCreated - $toKvm).TotalSeconds) | Should -BeLessThan 2
            [math]::Abs(($events[1].TimeCreated - $back).TotalSeconds) | Should -BeLessThan 2
            $events[1].TimeCreated | Should -BeGreaterThan $events[0].TimeCreated
            $events | ForEach-Object { $_.Source | Should -Be 'Dmesg'; $_.ComputerName | Should -Be ([Environment]::MachineName) }
        }

        It 'left the clocksource as it was' {
            (Get-Content "$Sysfs/current_clocksource").Trim() | Should -Be $original
        }

        It '-Since alone returns only the last minute of the kernel log' {
            if (-not $canSwitch) { Set-ItResult -Skipped -Because 'this machine cannot switch to kvm-clock as root' }
            $recent = @(Get-ClocksourceEvent -Source Dmesg -Since (Get-Date).AddMinutes(-1))
            $recent | ForEach-Object { $_.TimeCreated | Should -BeGreaterOrEqual ([datetime]::UtcNow.AddMinutes(-1.1)) }
            @($recent | Where-Object Kind -EQ 'Switched').Count | Should -BeGreaterOrEqual 2
        }
    }

    It 'finds the boot-time events dmesg holds' {
        $log = dmesg 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'dmesg is not readable by this user' }
        $expected = @($log | Select-String -Pattern 'Switch(ed|ing) to clocksource' -CaseSensitive).Count
        @(Get-ClocksourceEvent -Source Dmesg -Kind Switched).Count | Should -Be $expected
    }

    It 'reads sample files with -Path, merging the watchdog block into one event' {
        $e = Get-ClocksourceEvent -Path (Join-Path $Samples 'watchdog-6x-kvm-guest.txt') -Kind WatchdogUnstable -BootTime '2026-01-01T00:00:00Z'
        $e.GetType().FullName | Should -Be 'KvmTime.Model.ClocksourceEvent'
        $e.SkewNs | Should -Be 200000250
        $e.Watchdog | Should -Be 'kvm-clock'
        $e.Lines.Count | Should -Be 5
        $e.TimeCreated | Should -Be ([datetime]::new(2026, 1, 1, 0, 20, 3, 551, 21, 'Utc'))
    }

    It 'gives each unstable mark of a real excerpt a verdict with its evidence, and other events none' {
        $events = @(Get-ClocksourceEvent -Path (Join-Path $Samples 'real/propolis-328-dmesg.txt'))
        $unstable = @($events | Where-Object IsUnstable)
        $unstable.Count | Should -Be 3
        $unstable | ForEach-Object { $_.Verdict | Should -Be 'LikelyFalsePositive' }
        $unstable[0].VerdictEvidence | Should -Match 'watchdog''s interval was 2983\.903 ms'
        $events | Where-Object { -not $_.IsUnstable } | ForEach-Object { $_.Verdict | Should -BeNullOrEmpty }
        ($unstable[0] | ConvertTo-Json -Depth 3 | ConvertFrom-Json).Verdict | Should -Be 'LikelyFalsePositive'
    }

    It 'accepts paths from Get-ChildItem and wildcards' {
        $byPipeline = @(Get-ChildItem (Join-Path $Samples 'watchdog-*') | Get-ClocksourceEvent -Kind WatchdogUnstable)
        $byWildcard = @(Get-ClocksourceEvent -Path (Join-Path $Samples 'watchdog-*') -Kind WatchdogUnstable)
        $byPipeline.Count | Should -Be 4
        $byWildcard.Count | Should -Be 4
    }

    It 'writes a KernelLogPathNotFound error for a missing file' {
        $null = Get-ClocksourceEvent -Path (Join-Path $TestDrive 'missing.log') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KernelLogPathNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It '-Summary gives one typed row per host and boot with counts and the last unstable event' {
        $s = @(Get-ClocksourceEvent -Path (Get-ChildItem $Samples -File).FullName -Summary)
        $s[0].GetType().FullName | Should -Be 'KvmTime.Model.ClocksourceEventSummary'
        $s | ForEach-Object { $_.EventCount | Should -Be ($_.Counts.Values | Measure-Object -Sum).Sum }
        @($s | Where-Object UnstableCount -GT 0)[0].LastUnstable.IsUnstable | Should -BeTrue
        @($s.ComputerName | Sort-Object -Unique) | Should -Contain 'web01'
        @($s | Where-Object ComputerName -EQ ([System.Net.Dns]::GetHostName())).Count | Should -Be 0
    }

    It 'reads the good files when another path is bad, with one error per bad path naming it' {
        $good = Join-Path $Samples 'real/corefreq-308-dmesg.txt'
        $missing = Join-Path $TestDrive 'missing.log'
        $e = @(Get-ClocksourceEvent -Path $missing, $TestDrive, $good -ErrorVariable err -ErrorAction SilentlyContinue)
        $e.Count | Should -Be 6
        $err.Count | Should -Be 2
        $err[0].TargetObject | Should -Be $missing
        $err[1].FullyQualifiedErrorId | Should -BeLike 'KernelLogPathIsDirectory*'
        $err[1].Exception.Message | Should -Match 'is a directory'
    }

    It 'gives a saved log no invented dates, and -BootTime dates it' {
        $path = Join-Path $Samples 'real/propolis-328-dmesg.txt'
        @(Get-ClocksourceEvent -Path $path | Where-Object { $null -ne $_.TimeCreated }).Count | Should -Be 0
        $boot = [datetime]::new(2023, 3, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $late = @(Get-ClocksourceEvent -Path $path -BootTime $boot -Since $boot.AddSeconds(8996.146))
        $late.Kind | Should -Be @('Switched')
    }

    It 'converts summaries and events to JSON with kinds as text' {
        $path = Join-Path $Samples 'real/propolis-328-dmesg.txt'
        $json = Get-ClocksourceEvent -Path $path -Summary | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.Counts.TscUnstable | Should -Be 2
        $json.UnstableCount | Should -Be 1
        $json.LastUnstable.Kind | Should -Be 'TscUnstable'
        (Get-ClocksourceEvent -Path $path -Kind Switched | ConvertTo-Json | ConvertFrom-Json).Kind | Should -Be 'Switched'
        (Get-ClocksourceEvent -Path $path -Kind Switched | ConvertTo-Csv | ConvertFrom-Csv).Kind | Should -Be 'Switched'
    }

    It 'formats events and summaries with their table views, also deserialized' {
        $e = Get-ClocksourceEvent -Path (Join-Path $Samples 'watchdog-5.15-journal.txt')
        ($e | Format-Table | Out-String) | Should -Match 'ComputerName\s+TimeCreated \(UTC\)\s+Kind\s+Clocksource'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($e))
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+TimeCreated \(UTC\)\s+Kind\s+Clocksource'
        $s = Get-ClocksourceEvent -Path (Join-Path $Samples 'watchdog-5.15-journal.txt') -Summary
        $sBack = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($s))
        ($sBack | Format-Table | Out-String -Width 300) | Should -Match 'WatchdogUnstable=1'
    }
}

Describe 'Get-ClocksourceEvent over SSH against a real sshd on loopback' -Tag 'Ssh' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Sshd = Start-TestSshd
        $script:Target = "127.0.0.1:$($Sshd.Port)"
        $script:Ssh = @{ UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
    }

    AfterAll {
        Stop-TestSshd $Sshd
    }

    It 'filters dmesg on the target and finds the same events, at the same UTC times, as locally' {
        $local = @(Get-ClocksourceEvent -Source Dmesg -Kind Switched, Registered, Calibration)
        $remote = @(Get-ClocksourceEvent -ComputerName $Target @Ssh -Source Dmesg -Kind Switched, Registered, Calibration)
        $remote.Count | Should -Be $local.Count
        $remote | ForEach-Object { $_.ComputerName | Should -Be $Target }
        for ($i = 0; $i -lt $local.Count; $i++) {
            $remote[$i].Message | Should -Be $local[$i].Message
            [math]::Abs(($remote[$i].TimeCreated - $local[$i].TimeCreated).TotalSeconds) | Should -BeLessThan 0.5
        }
    }

    It 'reads a gzip -Path file on the target and merges its watchdog block' {
        $gz = Join-Path $TestDrive 'kern.log.2.gz'
        & bash -c "gzip -c < '$(Join-Path $Samples 'watchdog-5.15-journal.txt')' > '$gz'"
        $e = Get-ClocksourceEvent -ComputerName $Target @Ssh -Path $gz -Kind WatchdogUnstable
        $e.Source | Should -Be $gz
        $e.SkewNs | Should -Be (506044329 - 505524941)
        $e.Lines.Count | Should -Be 4
        # The verdict is judged over the whole boot, before -Kind drops the sync check that shows CPUs ahead.
        $e.Verdict | Should -Be 'LikelyReal'
        $e.VerdictEvidence | Should -Match 'ahead of'
    }
}
