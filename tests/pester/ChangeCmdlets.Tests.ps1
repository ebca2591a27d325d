# Every change cmdlet goes through the one confirm-and-apply, so each cell of this table must behave
# the same: -WhatIf prints the standard line and the exact change and writes the not-applied result
# with -PassThru; a declined -Confirm shows the change and writes nothing; -Confirm:$false -PassThru
# applies, verifies and writes one result; nothing changes unless it was applied.
BeforeDiscovery {
    $sysfs = '/sys/devices/system/clocksource/clocksource0'
    $current = Get-Content "$sysfs/current_clocksource" -ErrorAction SilentlyContinue
    $other = (Get-Content "$sysfs/available_clocksource" -ErrorAction SilentlyContinue) -split ' ' |
        Where-Object { $_ -and $_ -ne $current -and $_ -in 'tsc', 'kvm-clock' } | Select-Object -First 1
    $isRoot = $IsLinux -and (& id -u) -eq '0'
    $idle = '/sys/devices/system/cpu/cpu0/cpuidle/state1/disable'
    $idleBefore = Get-Content $idle -ErrorAction SilentlyContinue
    $LocalCells = @(
        @{
            Name = 'Set-GuestClocksource -Scope Runtime'; Skip = -not ($other -and $isRoot)
            Invocation = "Set-GuestClocksource -Clocksource $other -Scope Runtime"; PassThru = '-PassThru'
            Read = "Get-Content $sysfs/current_clocksource"; Arrange = ''; Applied = "$other"
            Restore = "Set-GuestClocksource -Clocksource $current -Scope Runtime -Confirm:`$false"
            Shown = "# write: $other > $sysfs/current_clocksource"
        }
        @{
            # No deeper idle state than C1 here, so the runtime change is undoing a disabled state.
            Name = 'Set-KernelCStateLimit -Remove (runtime only: no boot loader)'; Skip = -not ($idleBefore -and $isRoot -and -not (Test-Path /etc/default/grub))
            Invocation = 'Set-KernelCStateLimit -Remove'; PassThru = '-PassThru'
            Read = "Get-Content $idle"; Arrange = "Set-Content $idle 1"; Applied = '0'
            Restore = "Set-Content $idle $idleBefore"
            Shown = "# write: 0 > $idle"
        }
    )
    $fixturePath = Join-Path $PSScriptRoot '../../out/lab/lab.json'
    $Lab = if (Test-Path $fixturePath) { Get-Content -Raw $fixturePath | ConvertFrom-Json }
    $guest = if ($Lab) { @($Lab.Guests)[0] }
    $labSh = Join-Path $PSScriptRoot '../lab/lab.sh'
    $layout = if ($guest) { [Convert]::ToBase64String([IO.File]::ReadAllBytes((Join-Path $PSScriptRoot '../lab/chrony-debian-layout.conf'))) }
    $LabCells = if ($guest) {
        $hpet = "virsh -q -c '$($guest.LibvirtUri)' dumpxml --inactive '$($guest.Domain)' | Select-String -SimpleMatch `"timer name='hpet'`" | Out-String"
        @(
            @{
                Name = 'Set-KvmDomainClock -Timer hpet'; Skip = $false
                Invocation = "Set-KvmDomainClock -Domain '$($guest.Domain)' -LibvirtUri '$($guest.LibvirtUri)' -Timer @{ Name = 'hpet'; Present = `$true } -BackupPath /tmp/kvmtime-changecmdlets"; PassThru = '-PassThru'
                # The domain's definition is saved first and defined again after, so later tests find it as the lab made it.
                Read = $hpet; Arrange = "virsh -q -c '$($guest.LibvirtUri)' dumpxml --inactive '$($guest.Domain)' > /tmp/kvmtime-changecmdlets-domain.xml; Set-KvmDomainClock -Domain '$($guest.Domain)' -LibvirtUri '$($guest.LibvirtUri)' -Timer @{ Name = 'hpet'; Present = `$false } -BackupPath /tmp/kvmtime-changecmdlets -Confirm:`$false -WarningAction SilentlyContinue"
                Applied = $null; Restore = "virsh -q -c '$($guest.LibvirtUri)' define /tmp/kvmtime-changecmdlets-domain.xml | Out-Null; Remove-Item -Recurse -Force /tmp/kvmtime-changecmdlets, /tmp/kvmtime-changecmdlets-domain.xml -ErrorAction SilentlyContinue"
                Shown = "timer name='hpet' present='yes'"
            }
            @{
                # In the guest over SSH: the lab guest's chronyd in Debian 12's layout, its own file put back after.
                Name = 'Set-GuestTimeSync -Preset Vm'; Skip = $false
                Invocation = "Set-GuestTimeSync -ComputerName '$($guest.SshHost):$($guest.SshPort)' -UserName root -KeyFilePath '$($guest.KeyFilePath)' -KnownHostsPath '$($guest.KnownHostsPath)' -Preset Vm -Timeout 120"; PassThru = '-PassThru'
                Read = "bash '$labSh' ssh '$($guest.Name)' 'cat /etc/chrony/chrony.conf /etc/chrony/conf.d/* 2>/dev/null; true' | Out-String"
                Arrange = "bash '$labSh' ssh '$($guest.Name)' 'cp /etc/chrony/chrony.conf /tmp/kvmtime-changecmdlets-chrony.conf; mkdir -p /etc/chrony/conf.d /etc/chrony/sources.d; echo $layout | base64 -d > /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true'"
                Applied = $null
                Restore = "bash '$labSh' ssh '$($guest.Name)' 'rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-*; mv -f /tmp/kvmtime-changecmdlets-chrony.conf /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true'"
                Shown = '+makestep 1 -1'
            }
            @{
                # The result is the measurement: Sync-GuestTime always writes it, as -PassThru does elsewhere.
                Name = 'Sync-GuestTime -Domain'; Skip = $false
                Invocation = "Sync-GuestTime -Domain '$($guest.Domain)' -LibvirtUri '$($guest.LibvirtUri)'"; PassThru = ''
                Read = "'steady'"; Arrange = ''; Applied = $null; Restore = ''
                Shown = '# offset now:'
            }
            @{
                # A guest set 10 s behind without any event: the watch's first poll steps it (the offset is read in whole seconds).
                # The guest's chronyd is stopped meanwhile: the Set-GuestTimeSync cell's restore restarts it, and within its
                # first three updates (makestep 1 3) it would step the 10 s away itself while -WhatIf and -Confirm are checked.
                Name = 'Watch-GuestTime -Domain'; Skip = $false
                Invocation = "Watch-GuestTime -Domain '$($guest.Domain)' -LibvirtUri '$($guest.LibvirtUri)' -Interval 0:10:0 -Duration 0:0:6"; PassThru = ''
                Read = "[int][math]::Round((virsh -q -c '$($guest.LibvirtUri)' qemu-agent-command --domain '$($guest.Domain)' '{`"execute`":`"guest-get-time`"}' | ConvertFrom-Json).return / 1e9 - [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1e3)"
                Arrange = "bash '$labSh' ssh '$($guest.Name)' '/etc/init.d/chrony stop >/dev/null 2>&1; true' | Out-Null; virsh -q -c '$($guest.LibvirtUri)' qemu-agent-command --domain '$($guest.Domain)' ('{`"execute`":`"guest-set-time`",`"arguments`":{`"time`":' + ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() - 10000) * 1000000 + '}}')"
                Applied = '0'; Restore = "bash '$labSh' ssh '$($guest.Name)' '/etc/init.d/chrony start >/dev/null 2>&1; true' | Out-Null"
                Shown = '# trigger: poll'
            }
        )
    }
}

BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:PwshDll = Join-Path $PSHOME 'pwsh.dll'
    $script:ModulePath = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'

    # A child pwsh whose console answers the confirmation prompt from stdin (host output is only visible there).
    function Invoke-Child([string] $Command, [string] $Answer) {
        $script = "Import-Module '$ModulePath'; $Command"
        if ($Answer) { $Answer | & dotnet $PwshDll -NoProfile -Command $script 2>&1 | Out-String }
        else { & dotnet $PwshDll -NoProfile -NonInteractive -Command $script 2>&1 | Out-String }
    }

    function Test-Cell([hashtable] $Cell, [switch] $Lab) {
        if ($Cell.Arrange) { Invoke-Expression $Cell.Arrange | Out-Null }
        # Whatever fails, the cell's restore runs: an arranged state must not leak into the next cells.
        try {
            $before = Invoke-Expression $Cell.Read

            # -WhatIf: the standard line, then the exact change; -PassThru writes the result of not applying it.
            $shown = Invoke-Child "$($Cell.Invocation) -WhatIf"
            $shown | Should -Match 'What if: Performing the operation ".+" on target ".+"\.'
            $shown | Should -Match ([regex]::Escape($Cell.Shown))
            $notApplied = @(Invoke-Expression "$($Cell.Invocation) -WhatIf $($Cell.PassThru)")
            $notApplied | Should -HaveCount 1
            $notApplied[0].Applied | Should -BeFalse
            Invoke-Expression $Cell.Read | Should -Be $before

            # A declined -Confirm: the question shows the change; nothing is written and nothing changes.
            $declined = Invoke-Child "`$r = @($($Cell.Invocation) -Confirm $($Cell.PassThru)); 'RESULTS=' + `$r.Count" -Answer 'N'
            $declined | Should -Match 'Are you sure you want to perform this action\?'
            # The host wraps the question at its width: compare with whitespace runs folded.
            ($declined -replace '\s+', ' ') | Should -Match ([regex]::Escape(($Cell.Shown -replace '\s+', ' ')))
            $declined | Should -Match 'RESULTS=0'
            Invoke-Expression $Cell.Read | Should -Be $before

            # -Confirm:$false -PassThru: applied, verified, one result.
            $applied = @(Invoke-Expression "$($Cell.Invocation) -Confirm:`$false $($Cell.PassThru) -WarningAction SilentlyContinue")
            $applied | Should -HaveCount 1
            $applied[0].Applied | Should -BeTrue
            if ($null -ne $Cell.Applied) { Invoke-Expression $Cell.Read | Should -Be $Cell.Applied }
            if ($applied[0].PSObject.Properties['Changed']) {
                $applied[0].Changed | Should -BeTrue
                @(Invoke-Expression "$($Cell.Invocation) -Confirm:`$false $($Cell.PassThru) -WarningAction SilentlyContinue")[0].Changed | Should -BeFalse
            }
        }
        finally {
            if ($Cell.Restore) { Invoke-Expression $Cell.Restore | Out-Null }
        }
    }
}

Describe 'Every change cmdlet confirms and applies the same way, on this machine' -Tag 'Local' {
    It '<Name>' -ForEach $LocalCells {
        if ($Skip) { Set-ItResult -Skipped -Because 'this machine cannot make the change (needs root and the sysfs files)'; return }
        Test-Cell $_
    }
}

Describe 'Every change cmdlet confirms and applies the same way, on the lab' -Tag 'Lab' -Skip:($null -eq $LabCells) {
    It '<Name>' -ForEach $LabCells {
        Test-Cell $_ -Lab
    }
}
