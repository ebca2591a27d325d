BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Sysfs = '/sys/devices/system/clocksource/clocksource0/current_clocksource'
}

Describe 'Measure-ClocksourceCost on the build machine, in-process' -Tag 'Local' {
    BeforeAll { $script:Local = Measure-ClocksourceCost }

    It 'measures the current clocksource in-process, with nothing subtracted' {
        $Local.GetType().FullName | Should -Be 'KvmTime.Model.ClocksourceCost'
        $Local.Method | Should -Be 'InProcess'
        $Local.Clocksource | Should -Be (Get-Content $Sysfs).Trim()
        $Local.OverheadNs | Should -Be 0
        $Local.Repeats | Should -Be 9
        $Local.Iterations | Should -BeGreaterThan 0
    }

    It 'finds the vDSO serving tsc: libc well below the raw system call, and the kernel agrees' {
        $Local.MonotonicNs | Should -BeGreaterThan 0
        $Local.RealtimeNs | Should -BeGreaterThan 0
        $Local.SyscallMonotonicNs | Should -BeGreaterThan $Local.MonotonicNs
        $Local.MonotonicPath | Should -Be 'Vdso' -Because "libc took $($Local.MonotonicNs) ns, the system call $($Local.SyscallMonotonicNs) ns"
        $Local.IsVdsoCapable | Should -Be (Get-KvmClocksource).IsVdsoCapable
        $Local.IsVdsoMapped | Should -BeTrue
    }

    It 'gives kvm-clock 100 percent of itself, and restores the clocksource' {
        $original = (Get-Content $Sysfs).Trim()
        try {
            Set-Content -Path $Sysfs -Value 'kvm-clock'
            $kvm = Measure-ClocksourceCost
            $kvm.Clocksource | Should -Be 'kvm-clock'
            $kvm.PercentOfKvmClock | Should -Be 100
            $kvm.MonotonicPath | Should -Be 'Vdso'
        }
        finally { Set-Content -Path $Sysfs -Value $original }
        (Get-Content $Sysfs).Trim() | Should -Be $original
    }

    It 'formats with its default table view, also deserialized' {
        ($Local | Format-Table | Out-String) | Should -Match 'ComputerName\s+Clocksource\s+Method\s+MonotonicNs'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Local))
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+Clocksource\s+Method\s+MonotonicNs'
    }
}

Describe 'Measure-ClocksourceCost -All on the build machine (switches its clocksource, always back)' -Tag 'Local' {
    BeforeAll {
        $script:Original = (Get-Content $Sysfs).Trim()
        $script:Available = @((Get-Content /sys/devices/system/clocksource/clocksource0/available_clocksource).Trim() -split '\s+')
        $script:IsRoot = (& id -u) -eq '0'
        # Each switch the kernel makes is one "Switched to clocksource" line in its log.
        function Get-SwitchCount { @(& dmesg 2>$null | Select-String -SimpleMatch 'clocksource: Switched to clocksource').Count }
    }
    BeforeEach { if (-not $IsRoot) { Set-ItResult -Skipped -Because '-All needs root' } }
    AfterEach {
        # Never leave the machine on another clocksource, whatever a failing test did.
        if ($IsRoot -and (Get-Content $Sysfs).Trim() -ne $Original) { Set-Content -Path $Sysfs -Value $Original }
    }

    It 'measures every available clocksource, relative to kvm-clock, and switches the original back' {
        $rows = @(Measure-ClocksourceCost -All -Confirm:$false)
        (Get-Content $Sysfs).Trim() | Should -Be $Original
        $rows.Clocksource | Should -Be (@($Original) + @($Available | Where-Object { $_ -ne $Original }))
        foreach ($row in $rows) {
            $row.Method | Should -Be 'InProcess'
            $row.MonotonicNs | Should -BeGreaterThan 0
        }
        $kvm = $rows | Where-Object Clocksource -eq 'kvm-clock'
        if ($kvm) {
            $kvm.PercentOfKvmClock | Should -Be 100
            foreach ($row in $rows) {
                $row.PercentOfKvmClock | Should -Be ([math]::Round(100 * $row.MonotonicNs / $kvm.MonotonicNs, 2))
            }
        }
    }

    It 'shows every switch under -WhatIf and switches nothing' {
        $before = Get-SwitchCount
        $shown = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Import-Module '$(Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1')'; `$r = @(Measure-ClocksourceCost -All -WhatIf); 'RESULTS=' + `$r.Count" 2>&1 | Out-String
        $shown | Should -Match 'What if: Performing the operation "Measure clock reads with each clocksource \(.+\), then switch back to .+" on target'
        foreach ($other in $Available | Where-Object { $_ -ne $Original }) {
            $shown | Should -Match ([regex]::Escape("# write: $other > $Sysfs"))
        }
        $shown | Should -Match 'RESULTS=0'
        Get-SwitchCount | Should -Be $before
        (Get-Content $Sysfs).Trim() | Should -Be $Original
    }

    It 'switches the original back when stopped (Ctrl-C) in the middle' {
        if ($Available.Count -lt 2) { Set-ItResult -Skipped -Because 'only one clocksource: nothing is switched'; return }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1')'; Measure-ClocksourceCost -All -Confirm:`$false")
            $async = $ps.BeginInvoke()
            # Stop it while it measures with another clocksource.
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            while ((Get-Content $Sysfs).Trim() -eq $Original -and -not $async.IsCompleted -and $watch.Elapsed.TotalSeconds -lt 120) { Start-Sleep -Milliseconds 5 }
            $async.IsCompleted | Should -BeFalse -Because 'the sweep must still be running when it is stopped'
            (Get-Content $Sysfs).Trim() | Should -Not -Be $Original
            $ps.Stop()
            $watch.Restart()
            while ((Get-Content $Sysfs).Trim() -ne $Original -and $watch.Elapsed.TotalSeconds -lt 120) { Start-Sleep -Milliseconds 50 }
            (Get-Content $Sysfs).Trim() | Should -Be $Original -Because "the restore runs in the sweep's finally, even after a stop"
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Measure-ClocksourceCost over SSH and through a PSSession (loopback sshd)' -Tag 'Ssh' {
    BeforeAll {
        $script:Sshd = Start-TestSshd
        $script:Target = @{ ComputerName = "127.0.0.1:$($Sshd.Port)"; UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
    }
    AfterAll { Stop-TestSshd $Sshd }

    It 'times with <_> and subtracts its coarse-read overhead' -ForEach 'Python3', 'Perl' {
        $r = Measure-ClocksourceCost @Target -Interpreter $_
        $r.Method | Should -Be $_
        $r.ComputerName | Should -Be $Target.ComputerName
        $r.Clocksource | Should -Be (Get-Content $Sysfs).Trim()
        $r.OverheadProbe | Should -Match 'CLOCK_MONOTONIC_COARSE'
        $r.OverheadNs | Should -BeGreaterThan 0
        $r.MonotonicNs | Should -BeGreaterThan 0
        $r.SyscallMonotonicNs | Should -BeGreaterThan $r.MonotonicNs
        $r.MonotonicPath | Should -Be 'Vdso'
        $r.IsVdsoMapped | Should -BeTrue
    }

    It 'fails with ClockReadInterpreterMissing on a machine with neither, and the other machines go on' {
        # A second sshd whose sessions get a PATH of every command this machine has except python and perl.
        $bin = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-nointerp-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory $bin
        $bare = $null
        try {
            Get-ChildItem /usr/bin, /bin -ErrorAction Ignore | Where-Object { $_.Name -notmatch '^(python|perl)' -and -not (Test-Path -LiteralPath (Join-Path $bin $_.Name)) } |
                ForEach-Object { $null = [System.IO.File]::CreateSymbolicLink((Join-Path $bin $_.Name), $_.FullName) }
            $bare = Start-TestSshd -ExtraConfig "SetEnv PATH=$bin"
            # Its throwaway user (shell /bin/sh, no rc file to prepend a PATH) logs in with the fixture's key.
            $missing = @{ ComputerName = "127.0.0.1:$($bare.Port)"; UserName = $bare.UserName; KeyFilePath = $bare.KeyFilePath; KnownHostsPath = $bare.KnownHostsPath }
            $r = @(Measure-ClocksourceCost @missing -ErrorVariable failed -ErrorAction SilentlyContinue)
            $r.Count | Should -Be 0
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ClockReadInterpreterMissing*'
            $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failed[0].Exception.Message | Should -Match 'neither perl .* nor python3'
            # One failing host never stops the others.
            $sessions = @(New-KvmTimeSession @missing) + @(New-KvmTimeSession @Target)
            try {
                $both = @(Measure-ClocksourceCost -Session $sessions -ErrorVariable failedToo -ErrorAction SilentlyContinue)
                $both.Count | Should -Be 1
                $both[0].Method | Should -Be 'Perl' -Because 'Auto takes perl first'
                $failedToo.Count | Should -Be 1
            }
            finally { $sessions | Remove-KvmTimeSession }
        }
        finally {
            Stop-TestSshd $bare
            Remove-Item -Recurse -Force $bin -ErrorAction Ignore
        }
    }

    It 'measures every clocksource over SSH as root and switches the original back' {
        $original = (Get-Content $Sysfs).Trim()
        try {
            $rows = @(Measure-ClocksourceCost @Target -All -Confirm:$false)
            $rows.Count | Should -Be @((Get-Content /sys/devices/system/clocksource/clocksource0/available_clocksource).Trim() -split '\s+').Count
            $rows[0].Clocksource | Should -Be $original
            $rows.Method | Sort-Object -Unique | Should -Be 'Perl'
            (Get-Content $Sysfs).Trim() | Should -Be $original
        }
        finally { if ((Get-Content $Sysfs).Trim() -ne $original) { Set-Content -Path $Sysfs -Value $original } }
    }

    It 'refuses -All for an account that is not root, before switching anything' {
        $original = (Get-Content $Sysfs).Trim()
        $user = @{ ComputerName = $Target.ComputerName; UserName = $Sshd.UserName; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
        $rows = @(Measure-ClocksourceCost @user -All -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ClocksourceSweepNeedsRoot*'
        $failed[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        (Get-Content $Sysfs).Trim() | Should -Be $original
    }

    It 'runs the loop in the PSSession''s own pwsh' {
        $ps = New-PSSession -HostName 127.0.0.1 -Port $Sshd.Port -UserName root -KeyFilePath $Sshd.KeyFilePath -Subsystem powershell -Options @{ UserKnownHostsFile = $Sshd.KnownHostsPath; StrictHostKeyChecking = 'yes' }
        try {
            $r = Measure-ClocksourceCost -Session $ps
            $r.Method | Should -Be 'PSSession'
            $r.OverheadNs | Should -Be 0
            $r.MonotonicPath | Should -Be 'Vdso'
            $r.SyscallMonotonicNs | Should -BeGreaterThan $r.MonotonicNs
        }
        finally { Remove-PSSession $ps }
    }
}

BeforeDiscovery {
    $LabSkipped = [bool]$env:KVMTIME_LAB_SKIP
}

Describe 'Measure-ClocksourceCost on a lab guest over SSH (TCG: tsc hpet acpi_pm, busybox with perl)' -Tag 'Lab' -Skip:$LabSkipped {
    BeforeAll {
        $Lab = Get-LabFixture
        $Guest = $Lab.Guests[0]
        $Ssh = Get-LabSsh $Guest
        $StartSource = (Get-KvmClocksource @Ssh).Current
    }

    AfterAll {
        Set-GuestClocksource @Ssh -Clocksource $StartSource -Scope Runtime -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'measures with perl, its loop overhead measured and subtracted' {
        $r = Measure-ClocksourceCost @Ssh
        $r.Method | Should -Be 'Perl'
        $r.ComputerName | Should -Be $Ssh.ComputerName
        $r.OverheadNs | Should -BeGreaterThan 0
        $r.Clocksource | Should -Be $StartSource
    }

    It 'finds hpet and acpi_pm at least 10x slower than tsc (the guidance: MMIO and port reads trap to the VMM), and switches the original back' {
        $rows = @(Measure-ClocksourceCost @Ssh -All -Confirm:$false)
        $by = @{}; foreach ($row in $rows) { $by[$row.Clocksource] = $row }
        @($by.Keys | Sort-Object) | Should -Be @('acpi_pm', 'hpet', 'tsc')
        Write-Host ('lab guest clock reads (ns, MONOTONIC): tsc {0}, hpet {1}, acpi_pm {2}' -f $by.tsc.MonotonicNs, $by.hpet.MonotonicNs, $by.acpi_pm.MonotonicNs)
        $by.hpet.MonotonicNs | Should -BeGreaterThan (10 * $by.tsc.MonotonicNs)
        $by.acpi_pm.MonotonicNs | Should -BeGreaterThan (10 * $by.tsc.MonotonicNs)
        # tsc is read in user space; without a vDSO clock, hpet falls back to the system call.
        $by.tsc.MonotonicPath | Should -Be 'Vdso'
        $by.hpet.MonotonicPath | Should -Not -Be 'Vdso'
        (Get-KvmClocksource @Ssh).Current | Should -Be $StartSource
    }
}
