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

    It 'leaves the old /etc/default/grub or the new one, never a part, when the SSH connection is killed mid-change' {
        $grubHash = { (Invoke-Guest 'sha256sum /etc/default/grub').Split(' ')[0] }
        $old = & $grubHash
        try {
            $null = Set-GuestClocksource @Ssh -Clocksource acpi_pm -Scope Persistent -TscReliable
            $new = & $grubHash
            $new | Should -Not -Be $old
            $null = Set-GuestClocksource @Ssh -Reset
            & $grubHash | Should -Be $old

            $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
            $outcomes = foreach ($delay in 0, 150, 300, 450, 600, 750, 900, 1200) {
                $ps = [powershell]::Create()
                try {
                    $null = $ps.AddCommand('Import-Module').AddArgument($module).AddStatement().
                        AddCommand('Set-GuestClocksource').AddParameters($Ssh).AddParameter('Clocksource', 'acpi_pm').AddParameter('Scope', 'Persistent').AddParameter('TscReliable', $true)
                    $async = $ps.BeginInvoke()
                    Start-Sleep -Milliseconds (400 + $delay) # the import takes a moment; then stop at a different point each time
                    $ps.Stop()   # cancels the cmdlet, which closes its SSH connection under the running change
                    $null = $async.AsyncWaitHandle.WaitOne(10000)
                }
                finally { $ps.Dispose() }
                $now = & $grubHash
                $now | Should -BeIn @($old, $new) -Because "after a stop $delay ms in, the file must be whole"
                if ($now -eq $new) { 'new'; $null = Set-GuestClocksource @Ssh -Reset } else { 'old' }
            }
            Write-Host "Stopped mid-change: $($outcomes -join ', ')"
        }
        finally {
            $null = Set-GuestClocksource @Ssh -Reset -ErrorAction SilentlyContinue
        }
        & $grubHash | Should -Be $old
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
