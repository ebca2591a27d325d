BeforeDiscovery {
    $LabSkipped = [bool]$env:KVMTIME_LAB_SKIP
}

BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $sysfs = '/sys/devices/system/clocksource/clocksource0'
    $original = (Get-Content "$sysfs/current_clocksource").Trim()
    function Get-Current { (Get-Content "$sysfs/current_clocksource").Trim() }
    function Get-SwitchLines([string] $name) { @(dmesg | Select-String -SimpleMatch "clocksource: Switched to clocksource $name").Count }
}

AfterAll {
    # Leave the build machine as it was, whatever a test did.
    Set-Content -Path "$sysfs/current_clocksource" -Value $original
}

Describe 'Set-GuestClocksource on the build machine (a real KVM guest, root)' -Tag 'Local' {
    It 'switches to kvm-clock at runtime and back, verified in sysfs and in dmesg' {
        (Get-Content "$sysfs/available_clocksource") | Should -Match 'kvm-clock'
        $other = if ($original -eq 'kvm-clock') { 'tsc' } else { 'kvm-clock' }
        $before = Get-SwitchLines $other

        $result = Set-GuestClocksource -Clocksource $other -PassThru

        Get-Current | Should -Be $other
        $result.GetType().FullName | Should -Be 'KvmTime.Model.ClocksourceChangeResult'
        $result.PreviousClocksource | Should -Be $original
        $result.CurrentClocksource | Should -Be $other
        $result.Changed | Should -BeTrue
        $result.Persistent | Should -BeNullOrEmpty
        Get-SwitchLines $other | Should -BeGreaterThan $before

        $back = Set-GuestClocksource -Clocksource $original -PassThru
        Get-Current | Should -Be $original
        $back.CurrentClocksource | Should -Be $original
    }

    It 'reports no change on a second identical run' {
        $result = Set-GuestClocksource -Clocksource $original -PassThru

        $result.Changed | Should -BeFalse
        $result.CurrentClocksource | Should -Be $original
    }

    It 'refuses a name the machine does not offer, with a specific error, and changes nothing' {
        Set-GuestClocksource -Clocksource 'bogus' -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ClocksourceNotAvailable,*'
        $errs[0].Exception.Message | Should -Match 'Available: '
        Get-Current | Should -Be $original
    }

    It 'refuses shell metacharacters before anything runs' {
        $marker = Join-Path ([IO.Path]::GetTempPath()) "kvmtime-pwned-$([guid]::NewGuid().ToString('N'))"

        { Set-GuestClocksource -Clocksource "tsc; touch $marker" -Scope Both } |
            Should -Throw -ErrorId 'InvalidClocksourceName,KvmTime.Commands.SetGuestClocksourceCommand'

        $marker | Should -Not -Exist
        Get-Current | Should -Be $original
    }

    It 'changes nothing with -WhatIf, and -PassThru says it was not applied' {
        $other = if ($original -eq 'kvm-clock') { 'tsc' } else { 'kvm-clock' }

        $result = Set-GuestClocksource -Clocksource $other -WhatIf -PassThru

        Get-Current | Should -Be $original
        $result.Applied | Should -BeFalse
        $result.Changed | Should -BeFalse
    }

    It 'shows the exact sysfs write in the -WhatIf text' {
        $other = if ($original -eq 'kvm-clock') { 'tsc' } else { 'kvm-clock' }
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'

        $text = & dotnet $pwsh -NoProfile -NonInteractive -Command "Import-Module '$module'; Set-GuestClocksource -Clocksource $other -WhatIf" | Out-String

        $text | Should -Match ([regex]::Escape("What if: Performing the operation `"Set the clocksource to $other (Runtime)`" on target `"$([Environment]::MachineName)`"."))
        $text | Should -Match ([regex]::Escape("# write: $other > $sysfs/current_clocksource"))
        Get-Current | Should -Be $original
    }

    It 'says in -Verbose what it read, what it decided and what it changed' {
        $other = if ($original -eq 'kvm-clock') { 'tsc' } else { 'kvm-clock' }
        try {
            $verbose = Set-GuestClocksource -Clocksource $other -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $name = [regex]::Escape([Environment]::MachineName)
            $verbose | Where-Object { $_ -match "^$($name): read current \(" } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_ -match "^$($name): decided: Set the clocksource to $other \(Runtime\)" } | Should -HaveCount 1
            $verbose | Where-Object { $_ -match "^$($name): changed and verified: $($name): $other$" } | Should -HaveCount 1
        }
        finally { Set-GuestClocksource -Clocksource $original }
        Get-Current | Should -Be $original
    }

    It 'needs -Scope Persistent for boot-only switches' {
        { Set-GuestClocksource -Clocksource tsc -TscReliable } |
            Should -Throw -ErrorId 'BootArgumentNeedsPersistentScope,KvmTime.Commands.SetGuestClocksourceCommand'
    }

    It 'fails the persistent part with BootLoaderNotFound on this machine (no grub, no systemd-boot) and changes nothing' {
        Test-Path /etc/default/grub | Should -BeFalse -Because 'the build machine has no boot loader configuration'

        Set-GuestClocksource -Clocksource $original -Scope Both -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].FullyQualifiedErrorId | Should -BeLike 'BootLoaderNotFound,*'
        Get-Current | Should -Be $original
    }

    It 'completes the clocksources this machine offers' {
        $line = 'Set-GuestClocksource -Clocksource '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText

        $completions | Should -Be ((Get-Content "$sysfs/available_clocksource").Trim() -split ' ')
    }

    It 'completes the known names for other machines' {
        $line = 'Set-GuestClocksource -ComputerName guest1 -Clocksource hyp'

        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'hyperv_clocksource_tsc_page'
    }

    It 'takes ComputerName from Get-KvmClocksource on the pipeline' {
        $result = Get-KvmClocksource | Set-GuestClocksource -Clocksource $original -PassThru

        $result.ComputerName | Should -Be ([Environment]::MachineName)
    }

    It 'formats with its table view, also when deserialized' {
        $result = Set-GuestClocksource -Clocksource $original -PassThru
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($result))

        ($result | Format-Table | Out-String) | Should -Match 'ComputerName\s+Scope\s+Previous\s+Current'
        ($back | Format-Table | Out-String) | Should -Match 'ComputerName\s+Scope\s+Previous\s+Current'
    }
}

Describe 'Set-GuestClocksource on a lab guest over SSH (TCG: tsc hpet acpi_pm, Debian-style update-grub)' -Tag 'Lab' -Skip:$LabSkipped {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $Lab = Get-LabFixture
        $Guest = $Lab.Guests[0]
        $Ssh = Get-LabSsh $Guest
        function Invoke-Guest([string] $Command) { (Invoke-Lab ssh, $Guest.Name, $Command) -join "`n" }
        function Get-GuestState { Invoke-Guest 'sha256sum /etc/default/grub /boot/grub/grub.cfg; ls /etc/default /boot/grub; cat /sys/devices/system/clocksource/clocksource0/current_clocksource' }
        $StartSource = (Get-KvmClocksource @Ssh).Current
    }

    AfterAll {
        Set-GuestClocksource @Ssh -Clocksource $StartSource -ErrorAction SilentlyContinue
    }

    It 'switches tsc -> hpet -> acpi_pm at runtime, each verified by reading sysfs back' {
        foreach ($name in 'tsc', 'hpet', 'acpi_pm') {
            if ($name -notin (Get-KvmClocksource @Ssh).Available) { Set-ItResult -Inconclusive -Because "$name is not offered (the guest kernel withdrew it)"; return }
            $result = Set-GuestClocksource @Ssh -Clocksource $name -PassThru
            $result.CurrentClocksource | Should -Be $name
            (Invoke-Guest 'cat /sys/devices/system/clocksource/clocksource0/current_clocksource').Trim() | Should -Be $name
        }
    }

    It 'refuses a clocksource the guest does not have, and leaves it as it was' {
        $before = (Get-KvmClocksource @Ssh).Current

        Set-GuestClocksource @Ssh -Clocksource kvm-clock -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ClocksourceNotAvailable,*'
        (Get-KvmClocksource @Ssh).Current | Should -Be $before
    }

    It 'leaves the guest byte-identical with -WhatIf' {
        $before = Get-GuestState

        Set-GuestClocksource @Ssh -Clocksource hpet -Scope Both -TscReliable -WhatIf

        Get-GuestState | Should -Be $before
    }

    # Issue 21: the change runs detached on the guest. A dropped channel (Stop, like Ctrl-C) lets it finish;
    # TERM to its process group before the commit rolls back grub and grub.cfg. Stop points come from the
    # guest's own status file and a slowed-down update-grub, before, inside and after the regenerate.
    # (Under sudo too once the lab guest has a sudo user; the busybox guest has root only.)
    It 'ends with the old grub and grub.cfg or the new pair, never a mix, when stopped before, inside or after the regenerate' {
        $pair = { (Invoke-Guest 'cat /etc/default/grub /boot/grub/grub.cfg | sha256sum').Split(' ')[0] }
        $old = & $pair
        $null = Set-GuestClocksource @Ssh -Clocksource acpi_pm -Scope Persistent -TscReliable
        $new = & $pair
        $null = Set-GuestClocksource @Ssh -Reset
        & $pair | Should -Be $old
        # update-grub marks its start and sleeps, so a stop can land inside it; the original comes back in finally.
        Invoke-Guest 'cp -p /usr/sbin/update-grub /usr/sbin/update-grub.kvmtime-test && printf "%s\n" "#!/bin/sh" "touch /run/kvmtime-test-regenerating" "sleep 3" "exec /usr/sbin/update-grub.kvmtime-test \"\$@\"" > /usr/sbin/update-grub' | Out-Null
        $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
        $counts = @{ old = 0; new = 0 }
        try {
            foreach ($how in 'channel', 'TERM') {
                foreach ($point in @(
                        @{ Name = 'before the regenerate'; Probe = 'grep -qx "phase writing" /var/lib/kvmtime/run-*.status' }
                        @{ Name = 'inside the regenerate'; Probe = 'test -e /run/kvmtime-test-regenerating' }
                        @{ Name = 'after the regenerate'; Probe = 'grep -qx committed /var/lib/kvmtime/run-*.status' })) {
                    Invoke-Guest 'rm -f /run/kvmtime-test-regenerating' | Out-Null
                    $ps = [powershell]::Create()
                    try {
                        # The import runs first on its own: stopping a batch (AddStatement) mid-way crashes pwsh
                        # when PowerShell goes on to the next statement in a runspace being disposed.
                        $null = $ps.AddCommand('Import-Module').AddArgument($module).Invoke()
                        $ps.Commands.Clear()
                        $null = $ps.AddCommand('Set-GuestClocksource').AddParameters($Ssh).AddParameter('Clocksource', 'acpi_pm').AddParameter('Scope', 'Persistent').AddParameter('TscReliable', $true)
                        $async = $ps.BeginInvoke()
                        $deadline = [DateTime]::UtcNow.AddSeconds(60)
                        while (-not ((Invoke-Guest "{ $($point.Probe); } 2>/dev/null && echo yes; true") -match 'yes')) {
                            if ([DateTime]::UtcNow -gt $deadline -or $async.IsCompleted) { break }
                            Start-Sleep -Milliseconds 20
                        }
                        # A call that already ended before the stop lost no connection: only an interrupted one is reported.
                        $interrupted = -not $async.IsCompleted
                        if ($how -eq 'channel') { $ps.Stop() }
                        else { Invoke-Guest 'for s in /var/lib/kvmtime/run-*.status; do p=$(sed -n "s/^pid \([0-9]*\).*/\1/p" "$s"); [ -n "$p" ] && kill -s TERM "-$p"; done; true' | Out-Null }
                        if (-not $async.AsyncWaitHandle.WaitOne(60000)) { $ps.Stop() }
                        # Only a finished invocation may be disposed.
                        try { $null = $ps.EndInvoke($async) } catch { Write-Host "the stopped call ended with: $($_.Exception.Message)" }
                    }
                    finally { $ps.Dispose() }
                    # Wait until nothing runs there any more: a dropped channel leaves the change to finish by itself.
                    $deadline = [DateTime]::UtcNow.AddSeconds(60)
                    # ... and until the waiter of a dropped channel is gone too, so the next change may report its run.
                    $busy = 'for s in /var/lib/kvmtime/run-*.status; do [ -e "$s" ] || continue; grep -q "^exit " "$s" || echo running; w=$(sed -n "s/^waiter \([0-9]*\).*/\1/p" "$s"); kill -0 "$w" 2>/dev/null && echo waiting; done; true'
                    while ((Invoke-Guest $busy) -match 'running|waiting' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
                    $now = & $pair
                    $now | Should -BeIn @($old, $new) -Because "after a $how stop $($point.Name), grub and grub.cfg must be the old pair or the new pair"
                    $outcome = if ($now -eq $new) { 'new' } else { 'old' }
                    $counts[$outcome]++
                    Write-Host "$how stop $($point.Name): $outcome"
                    Invoke-Guest 'ls /etc/default /boot/grub' | Should -Not -Match 'kvmtime-(tmp|gen)|\.part'
                    # The next change reports a run whose channel dropped (once) and takes the lock: none is left held.
                    $null = Set-GuestClocksource @Ssh -Reset -WarningVariable warned -WarningAction SilentlyContinue
                    if ($how -eq 'channel' -and $interrupted) { ($warned -join "`n") | Should -Match 'lost its connection' }
                    Invoke-Guest 'ls /var/lib/kvmtime 2>/dev/null; true' | Should -Not -Match 'run-|journal|lock\.d'
                    & $pair | Should -Be $old
                }
            }
            Write-Host "Stopped mid-change: $($counts.old) old, $($counts.new) new"
            $counts.old | Should -BeGreaterThan 0
            $counts.new | Should -BeGreaterThan 0
        }
        finally {
            Invoke-Guest 'mv -f /usr/sbin/update-grub.kvmtime-test /usr/sbin/update-grub; rm -f /run/kvmtime-test-regenerating' | Out-Null
            $null = Set-GuestClocksource @Ssh -Reset -ErrorAction SilentlyContinue
        }
        & $pair | Should -Be $old
    }

    It 'sets clocksource=hpet for the next boot through update-grub, a second run changes nothing, and the guest boots with it' {
        try {
            $first = Set-GuestClocksource @Ssh -Clocksource hpet -Scope Persistent -PassThru
            $first.Persistent.BootLoader | Should -Be 'UpdateGrub'
            $first.Persistent.ChangedFiles.Path | Should -Be '/etc/default/grub'
            $first.Persistent.ChangedFiles.BackupPath | Should -Match '^/etc/default/grub\.kvmtime-\d{8}T\d{9}Z$'
            $first.Persistent.Commands | Should -Be 'update-grub'
            $first.Persistent.NextBootArguments | Should -Contain 'clocksource=hpet'
            $first.RebootRequired | Should -BeTrue
            Invoke-Guest 'cat /etc/default/grub' | Should -Match 'GRUB_CMDLINE_LINUX="clocksource=hpet"'
            Invoke-Guest "cat '$($first.Persistent.ChangedFiles.BackupPath)'" | Should -Match 'GRUB_CMDLINE_LINUX=""'

            $second = Set-GuestClocksource @Ssh -Clocksource hpet -Scope Persistent -PassThru
            $second.Changed | Should -BeFalse
            $second.Persistent.ChangedFiles | Should -BeNullOrEmpty
            (Get-KernelBootArgument @Ssh).RebootRequired | Should -BeTrue

            Invoke-Lab reboot-from-config, $Guest.Name, --from, grub-cfg | Out-Null

            Invoke-Guest 'cat /proc/cmdline' | Should -Match '(^| )clocksource=hpet( |$)'
            (Get-KvmClocksource @Ssh).Current | Should -Be 'hpet'
            (Get-KernelBootArgument @Ssh).RebootRequired | Should -BeFalse
        }
        finally {
            $reset = Set-GuestClocksource @Ssh -Reset -PassThru
            $reset.Persistent.ArgumentsRemoved | Should -Contain 'clocksource=hpet'
            Invoke-Guest 'cat /etc/default/grub' | Should -Match 'GRUB_CMDLINE_LINUX=""'
            Invoke-Lab reboot-from-config, $Guest.Name, --from, grub-cfg | Out-Null
        }
    }
}
