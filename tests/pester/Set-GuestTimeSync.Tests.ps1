BeforeDiscovery {
    $fixturePath = Join-Path $PSScriptRoot '../../out/lab/lab.json'
    $Lab = if (Test-Path $fixturePath) { Get-Content -Raw $fixturePath | ConvertFrom-Json }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
}

Describe 'Set-GuestTimeSync input checks' -Tag 'Local' {
    It 'refuses to run without anything to set, before contacting a machine' {
        { Set-GuestTimeSync -ComputerName 192.0.2.1 -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToConfigure,*'
    }

    It 'refuses a source name that would not be one word of a chrony line' {
        { Set-GuestTimeSync -ComputerName 192.0.2.1 -Server 'ntp.example.net iburst;maxpoll' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeSourceName,*'
    }

    It 'has -WhatIf, -Confirm, -PassThru and the -Preset values' {
        $cmd = Get-Command Set-GuestTimeSync
        foreach ($p in 'WhatIf', 'Confirm', 'PassThru', 'PtpKvm', 'Server', 'Pool', 'Timeout', 'Force') { $cmd.Parameters.Keys | Should -Contain $p }
        $cmd.Parameters['Preset'].Attributes.ValidValues | Should -Be @('Vm')
    }
}

# The lab guest's chronyd (chrony 4.3, busybox init script) against the lab's NTP server on the
# gateway. Each test starts from Debian 12's layout (confdir, sourcedir, makestep 1 3 after the
# confdir line) and the guest's own files are put back afterwards.
Describe 'Set-GuestTimeSync against the lab guest' -Tag 'Lab' -Skip:($null -eq $Lab -or @($Lab.Guests).Count -eq 0) {
    BeforeAll {
        $lab = Get-LabFixture
        $guest = $lab.Guests[0]
        $ssh = Get-LabSsh $guest
        $ssh.CommandTimeout = 240
        function Invoke-Guest([string] $Command) { Invoke-Lab @('ssh', $guest.Name, $Command) }
        $stock = (Get-Content -Raw (Join-Path $PSScriptRoot '../lab/chrony-debian-layout.conf')).Replace('10.0.2.2', $lab.Ntp.GuestAddress).TrimEnd("`n")
        function Reset-GuestChrony {
            $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($stock + "`n"))
            $null = Invoke-Guest "rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-* /etc/modules-load.d; mkdir -p /etc/chrony/conf.d /etc/chrony/sources.d; echo $b64 | base64 -d > /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true"
        }
        $null = Invoke-Guest 'cp /etc/chrony/chrony.conf /tmp/kvmtime-test-chrony.conf.orig'
        Reset-GuestChrony
    }

    AfterAll {
        $null = Invoke-Guest 'rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-* /etc/modules-load.d; mv -f /tmp/kvmtime-test-chrony.conf.orig /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true'
    }

    It '-WhatIf shows the drop-in and the disabled makestep and changes nothing' {
        (Get-GuestTimeSync @ssh).Recommendations -join "`n" | Should -Match "makestep 1 3' steps only"
        $before = Invoke-Guest 'cat /etc/chrony/chrony.conf; ls /etc/chrony/conf.d'
        # The What if text goes to the host, so a child pwsh shows it on its output.
        $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
        $call = "Import-Module '$module'; Set-GuestTimeSync -ComputerName '$($ssh.ComputerName)' -UserName root -KeyFilePath '$($ssh.KeyFilePath)' -KnownHostsPath '$($ssh.KnownHostsPath)' -Preset Vm -WhatIf"
        $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $call 2>&1 | Out-String
        $out | Should -Match 'What if: Performing the operation "Configure chronyd \(preset Vm\)"'
        $out | Should -Match '\+\+\+ b/etc/chrony/conf.d/kvmtime.conf'
        $out | Should -Match '\+#makestep 1 3  # disabled by KvmTime'
        Invoke-Guest 'cat /etc/chrony/chrony.conf; ls /etc/chrony/conf.d' | Should -Be $before
    }

    It '-Preset Vm writes the drop-in, restarts chronyd and the lab server is selected; a second run changes nothing' {
        $result = Set-GuestTimeSync @ssh -Preset Vm -Timeout 120 -Confirm:$false -PassThru
        $result.Changed | Should -BeTrue
        $result.Settings | Should -Be @('makestep 1 -1', 'rtcsync')
        $result.SelectedSource | Should -Be $lab.Ntp.GuestAddress
        Invoke-Guest 'cat /etc/chrony/conf.d/kvmtime.conf' | Should -Contain 'makestep 1 -1'
        # chronyd itself reports the new setting in effect: no makestep 1 3 left to override it.
        Invoke-Guest "grep -E '^makestep' /etc/chrony/chrony.conf /etc/chrony/conf.d/*.conf" | Should -Be '/etc/chrony/conf.d/kvmtime.conf:makestep 1 -1'
        (Invoke-Guest 'chronyc -n -c sources') -join "`n" | Should -Match "(?m)^\^,\*,$([regex]::Escape($lab.Ntp.GuestAddress)),"
        # Get-GuestTimeSync reads the drop-in where chronyd does, so it no longer asks for makestep or rtcsync.
        (Get-GuestTimeSync @ssh).Recommendations -join "`n" | Should -Not -Match 'makestep|rtcsync'
        $again = Set-GuestTimeSync @ssh -Preset Vm -Timeout 120 -Confirm:$false -PassThru
        $again.Changed | Should -BeFalse
        @(Invoke-Guest 'ls /etc/chrony/chrony.conf.kvmtime-*').Count | Should -Be 1
    }

    It 'a stopped chronyd with nothing else to change: -WhatIf shows only its start, which then runs and is verified; a second run changes nothing' {
        $null = Set-GuestTimeSync @ssh -Preset Vm -Timeout 120 -Confirm:$false
        $null = Invoke-Guest '/etc/init.d/chrony stop >/dev/null 2>&1; true'
        $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
        $call = "Import-Module '$module'; Set-GuestTimeSync -ComputerName '$($ssh.ComputerName)' -UserName root -KeyFilePath '$($ssh.KeyFilePath)' -KnownHostsPath '$($ssh.KnownHostsPath)' -Preset Vm -WhatIf"
        $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $call 2>&1 | Out-String
        $out | Should -Match '(?m)^# run: /etc/init.d/chrony start$'
        $out | Should -Not -Match '\+\+\+ b/'
        { Invoke-Guest '/etc/init.d/chrony status' } | Should -Throw '*chronyd is not running*'
        $result = Set-GuestTimeSync @ssh -Preset Vm -Timeout 120 -Confirm:$false -PassThru
        $result.Changed | Should -BeTrue
        $result.ChangedFiles | Should -BeNullOrEmpty
        $result.SelectedSource | Should -Be $lab.Ntp.GuestAddress
        Invoke-Guest '/etc/init.d/chrony status' | Should -Be 'chronyd is running'
        (Set-GuestTimeSync @ssh -Preset Vm -Timeout 120 -Confirm:$false -PassThru).Changed | Should -BeFalse
    }

    It 'with the preset, chronyd steps a guest pushed 20 s behind back within a few updates' {
        # makestep only acts on a clock update: poll the lab server every 2 s (minpoll 1) so updates come fast.
        $null = Invoke-Guest "chronyc burst 4/4 >/dev/null; sleep 4; date -s @`$((`$(date +%s) - 20)) >/dev/null"
        # 60 s: the preset took 13-27 s here, stock makestep 1 3 120-250 s (bench/results/guest-timesync.md).
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Seconds 3
            $null = Invoke-Guest 'chronyc burst 2/2 >/dev/null'
            $reply = virsh -q -c $guest.LibvirtUri qemu-agent-command --domain $guest.Domain '{"execute":"guest-get-time"}' | ConvertFrom-Json
            $offset = [math]::Abs($reply.return / 1e9 - [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1e3)
        } until ($offset -lt 1 -or [DateTime]::UtcNow -gt $deadline)
        $offset | Should -BeLessThan 1 -Because 'makestep 1 -1 steps at the next update whenever the offset is above a second, where stock chronyd slews for minutes'
    }

    It '-PtpKvm fails with PtpKvmUnavailable under TCG and changes nothing' {
        $before = Invoke-Guest 'cat /etc/chrony/chrony.conf /etc/chrony/conf.d/*; ls /etc /etc/chrony'
        $result = Set-GuestTimeSync @ssh -PtpKvm -Confirm:$false -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PtpKvmUnavailable,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $failed[0].Exception.Message | Should -Match 'no kvm-clock'
        Invoke-Guest 'cat /etc/chrony/chrony.conf /etc/chrony/conf.d/*; ls /etc /etc/chrony' | Should -Be $before
    }

    It '-Server sets the source in the sourcedir drop-in and that address is selected' {
        $result = Set-GuestTimeSync @ssh -Server $lab.Ntp.GuestAddress -Timeout 120 -Confirm:$false -PassThru
        $result.Changed | Should -BeTrue
        $result.SelectedSource | Should -Be $lab.Ntp.GuestAddress
        Invoke-Guest 'cat /etc/chrony/sources.d/kvmtime.sources' | Should -Contain "server $($lab.Ntp.GuestAddress) iburst"
        Invoke-Guest 'cat /etc/chrony/chrony.conf' | Should -Contain "#server $($lab.Ntp.GuestAddress) iburst  # disabled by KvmTime Set-GuestTimeSync: the sources are set in /etc/chrony/sources.d/kvmtime.sources"
    }

    It 'a server that never answers is rolled back: TimeSourceNotSelected, the old files and sources back' {
        $before = Invoke-Guest 'cat /etc/chrony/chrony.conf'
        # 192.0.2.1 (TEST-NET-1) is never reachable from the guest.
        $null = Set-GuestTimeSync @ssh -Server 192.0.2.1 -Timeout 15 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'TimeSourceNotSelected,*'
        $failed[0].Exception.Message | Should -Match 'Rolled back'
        Invoke-Guest 'cat /etc/chrony/chrony.conf' | Should -Be $before
        # The previous test's source file is back (a file that did not exist would be left holding only a comment).
        Invoke-Guest 'cat /etc/chrony/sources.d/kvmtime.sources' | Should -Contain "server $($lab.Ntp.GuestAddress) iburst"
        Invoke-Guest 'cat /etc/chrony/sources.d/kvmtime.sources' | Should -Not -Contain 'server 192.0.2.1 iburst'
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        do { Start-Sleep -Seconds 3; $sources = (Invoke-Guest 'chronyc -n -c sources') -join "`n" } until ($sources -match '(?m)^\^,\*,' -or [DateTime]::UtcNow -gt $deadline)
        $sources | Should -Match "(?m)^\^,\*,$([regex]::Escape($lab.Ntp.GuestAddress)),"
    }

    It 'refuses a leap-smearing service beside the lab server and changes nothing' {
        $before = Invoke-Guest 'cat /etc/chrony/chrony.conf'
        $null = Set-GuestTimeSync @ssh -Server time.google.com, $lab.Ntp.GuestAddress -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SmearedSourcesMixed,*'
        Invoke-Guest 'cat /etc/chrony/chrony.conf' | Should -Be $before
    }

    Context 'chronyd stopped, with chrony.conf already holding the Vm preset, so starting it is the whole change' {
        BeforeAll {
            # The lab guest's own layout: no drop-in directory, KvmTime's block at the end.
            $script:Prepared = "driftfile /var/lib/chrony/chrony.drift`npidfile /run/chrony/chronyd.pid`n# BEGIN KvmTime Set-GuestTimeSync: this block is rewritten by KvmTime`nmakestep 1 -1`nrtcsync`n# END KvmTime Set-GuestTimeSync`n"
            function Set-StoppedGuestChrony([string] $Text) {
                $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text))
                $null = Invoke-Guest "/etc/init.d/chrony stop >/dev/null 2>&1; rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-*; echo $b64 | base64 -d > /etc/chrony/chrony.conf; true"
            }
        }

        AfterAll { Reset-GuestChrony }

        It 'no source within -Timeout: TimeSourceNotSelected, chronyd left running, no file changed' {
            # 192.0.2.1 (TEST-NET-1) is never reachable from the guest.
            Set-StoppedGuestChrony ("server 192.0.2.1 iburst`n" + $Prepared)
            $before = Invoke-Guest 'cat /etc/chrony/chrony.conf; ls /etc/chrony'
            $null = Set-GuestTimeSync @ssh -Preset Vm -Timeout 5 -Confirm:$false -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'TimeSourceNotSelected,*'
            $failed[0].Exception.Message | Should -Match 'chronyd was started and is left running; no file was changed'
            Invoke-Guest '/etc/init.d/chrony status' | Should -Be 'chronyd is running'
            Invoke-Guest 'cat /etc/chrony/chrony.conf; ls /etc/chrony' | Should -Be $before
        }

        It 'a chronyd that cannot start: TimeServiceStartFailed with chronyd''s own reason, no file changed' {
            Set-StoppedGuestChrony ("server $($lab.Ntp.GuestAddress) iburst`nnotadirective 1`n" + $Prepared)
            $before = Invoke-Guest 'cat /etc/chrony/chrony.conf; ls /etc/chrony'
            $null = Set-GuestTimeSync @ssh -Preset Vm -Confirm:$false -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'TimeServiceStartFailed,*'
            $failed[0].Exception.Message | Should -Match 'Invalid directive at line 2'
            $failed[0].Exception.Message | Should -Match 'No file was changed, and chronyd is still not running'
            { Invoke-Guest '/etc/init.d/chrony status' } | Should -Throw '*chronyd is not running*'
            Invoke-Guest 'cat /etc/chrony/chrony.conf; ls /etc/chrony' | Should -Be $before
        }
    }

    It '-PtpKvm on a guest with a KVM PTP clock makes chronyd select PHC0' {
        $clocks = Invoke-Guest 'cat /sys/class/ptp/ptp*/clock_name 2>/dev/null; true'
        if (-not ($clocks -contains 'KVM virtual PTP')) {
            Set-ItResult -Skipped -Because 'the lab guests run under TCG (nested KVM hangs here) and this build machine has no ptp_kvm, so no guest has a KVM PTP clock'
            return
        }
        $result = Set-GuestTimeSync @ssh -PtpKvm -Timeout 120 -Confirm:$false -PassThru
        $result.PhcDevice | Should -Not -BeNullOrEmpty
        $result.SelectedSource | Should -Match '^PHC\d'
    }
}
