BeforeDiscovery {
    $LabSkipped = [bool]$env:KVMTIME_LAB_SKIP
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
}

Describe 'Watch-GuestTime input checks' -Tag 'Local' {
    It 'refuses an interval under a second with InvalidWatchSetting, before contacting anything' {
        { Watch-GuestTime -Domain web01 -Interval 0:0:0.5 -ComputerName unreachable.invalid } | Should -Throw -ErrorId 'InvalidWatchSetting,KvmTime.Commands.WatchGuestTimeCommand'
    }

    It 'refuses a -MaxDrift below what a step can reach' {
        { Watch-GuestTime -MaxDrift 0:0:0.001 } | Should -Throw -ErrorId 'InvalidWatchSetting,KvmTime.Commands.WatchGuestTimeCommand'
    }

    It 'changes guests, so it has -WhatIf and -Confirm; Sync-GuestTime has -Force on its host-side sets only' {
        (Get-Command Watch-GuestTime).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command Watch-GuestTime).Parameters.Keys | Should -Contain 'Force'
        $force = (Get-Command Sync-GuestTime).Parameters['Force']
        @($force.ParameterSets.Keys | Sort-Object) | Should -Be @('AgentSocket', 'All', 'Domain')
    }
}

Describe 'Watch-GuestTime against the lab guest' -Tag 'Lab' -Skip:$LabSkipped {
    BeforeAll {
        $script:Lab = Get-LabFixture
        $script:Guest = $Lab.Guests[0]
        $script:Domain = $Guest.Domain
        $script:Uri = $Guest.LibvirtUri
        $script:GuestSsh = Get-LabSsh $Guest
        $script:Pwsh = Join-Path $PSHOME 'pwsh.dll'
        $script:Watchers = [System.Collections.Generic.List[object]]::new()

        # The guest clock minus the host clock in ms, read through virsh without the module
        # (uncertain by half the round trip, which is returned too).
        function Get-GuestOffset {
            $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
            $reply = virsh -q -c $Uri qemu-agent-command --domain $Domain '{"execute":"guest-get-time"}'
            $after = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
            $LASTEXITCODE | Should -Be 0
            $guestMs = ($reply | ConvertFrom-Json).return / 1e6
            [pscustomobject]@{ OffsetMs = $guestMs - ($before + $after) / 2; RoundTripMs = $after - $before }
        }

        # Sets the guest clock to the host's plus $Seconds through the agent, without the module.
        function Set-GuestSkew([double] $Seconds) {
            $ns = [long](([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() + $Seconds * 1000) * 1e6)
            virsh -q -c $Uri qemu-agent-command --domain $Domain "{`"execute`":`"guest-set-time`",`"arguments`":{`"time`":$ns}}" | Out-Null
            $LASTEXITCODE | Should -Be 0
        }

        function Wait-AgentAnswers([int] $Seconds = 60) {
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            do {
                virsh -q -c $Uri qemu-agent-command --domain $Domain '{"execute":"guest-ping"}' 2>$null | Out-Null
                if ($LASTEXITCODE -eq 0) { return }
                Start-Sleep -Milliseconds 500
            } until ([DateTime]::UtcNow -gt $deadline)
            throw "the agent of $Domain did not answer within $Seconds s"
        }

        # A watcher in a child pwsh, so that a test can kill it like a crashed service. Every result,
        # warning and error becomes one JSON line in its output file; -Verbose lines mark its progress.
        function Start-Watcher([string] $Arguments = '') {
            $out = Join-Path $TestDrive "watch-$([guid]::NewGuid().ToString('N').Substring(0, 8)).jsonl"
            # The watch's own arguments are written into its script: pwsh -File would take a '-Interval ...' argument as a parameter of the script.
            $script = [System.IO.Path]::ChangeExtension($out, '.ps1')
            Set-Content $script (@'
param($Module, $Out)
Import-Module $Module
Watch-GuestTime -Domain '{0}' -LibvirtUri '{1}' -Confirm:$false -Verbose {2} *>&1 | ForEach-Object {{
    $line = if ($_ -is [KvmTime.Model.TimeSyncResult]) {{
        [pscustomobject]@{{ Kind = 'Result'; Trigger = $_.Trigger; TriggerTime = $_.TriggerTime; CompletedAt = $_.CompletedAt
            OffsetBeforeMs = $_.OffsetBefore.TotalMilliseconds; OffsetAfterMs = $_.OffsetAfter.TotalMilliseconds; Succeeded = $_.Succeeded; Message = $_.Message }}
    }} else {{ [pscustomobject]@{{ Kind = $_.GetType().Name; Text = "$_"; Id = "$($_.FullyQualifiedErrorId)" }} }}
    Add-Content -Path $Out -Value ($line | ConvertTo-Json -Compress)
}}
'@ -f $Domain, $Uri, $Arguments)
            $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
            foreach ($a in @($Pwsh, '-NoProfile', '-NonInteractive', '-File', $script, (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'), $out)) { $start.ArgumentList.Add($a) }
            $process = [System.Diagnostics.Process]::Start($start)
            $watcher = [pscustomobject]@{ Process = $process; Out = $out }
            $Watchers.Add($watcher)
            # Ready once its first poll has measured the guest; the event listener starts beside it.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Read-Watcher $watcher | Where-Object { $_.Text -match "time \(\d+ chars\)" }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 300 }
            Start-Sleep -Seconds 3
            $watcher
        }

        function Read-Watcher($Watcher) {
            if (Test-Path $Watcher.Out) { Get-Content $Watcher.Out | ForEach-Object { $_ | ConvertFrom-Json } }
        }

        function Wait-WatchResult($Watcher, [scriptblock] $Where, [int] $Seconds = 30) {
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            do {
                $found = @(Read-Watcher $Watcher | Where-Object { $_.Kind -eq 'Result' } | Where-Object $Where)
                if ($found) { return $found[0] }
                Start-Sleep -Milliseconds 200
            } until ([DateTime]::UtcNow -gt $deadline)
            $null
        }

        # An event's step that ended more than 20 ms off gets one more look 2 s later: the cycle's final result.
        function Get-FinalResult($Watcher, $First, [DateTime] $Since) {
            if ([math]::Abs($First.OffsetAfterMs) -le 20) { return $First }
            $again = Wait-WatchResult $Watcher { $_.Trigger -like '*(again:*' -and [DateTime]$_.TriggerTime -ge $Since } 20
            if ($again) { $again } else { $First }
        }

        # Ends a watcher and what it started (sh, timeout, virsh), by pid.
        function Stop-Watcher($Watcher) {
            $pids = [System.Collections.Generic.List[int]]::new()
            $queue = [System.Collections.Generic.Queue[int]]::new()
            $queue.Enqueue($Watcher.Process.Id)
            while ($queue.Count) {
                $id = $queue.Dequeue(); $pids.Add($id)
                foreach ($child in @(& ps -o pid= --ppid $id)) { if ($child.Trim()) { $queue.Enqueue([int]$child.Trim()) } }
            }
            # The watcher first (it starts nothing more), then what it had started.
            foreach ($id in $pids) { & kill -KILL $id 2>$null }
            $Watcher.Process.WaitForExit(10000) | Out-Null
            $Watcher.Process.Dispose()
            $null = $Watchers.Remove($Watcher)
        }

        Wait-AgentAnswers
    }

    AfterAll {
        foreach ($w in @($Watchers)) { Stop-Watcher $w }
        # Leave the guest on the host's time and running.
        if ((virsh -q -c $Uri domstate $Domain) -match 'paused') { virsh -q -c $Uri resume $Domain | Out-Null }
        Wait-AgentAnswers
        $null = Sync-GuestTime -Domain $Domain -LibvirtUri $Uri -Force -WarningAction SilentlyContinue
    }

    It 'steps a guest paused for 20 s within 2 s of the resume, ending under 50 ms (medians of the cycles)' {
        $cycles = if ($env:KVMTIME_WATCH_CYCLES) { [int]$env:KVMTIME_WATCH_CYCLES } else { 5 }
        $watcher = Start-Watcher '-Interval 0:10:0'
        $latencies = @(); $after = @()
        try {
            foreach ($cycle in 1..$cycles) {
                virsh -q -c $Uri suspend $Domain | Out-Null
                Start-Sleep -Seconds 20
                $resumed = [DateTime]::UtcNow
                virsh -q -c $Uri resume $Domain | Out-Null
                $result = Wait-WatchResult $watcher { $_.Trigger -eq 'lifecycle: Resumed Unpaused' -and [DateTime]$_.TriggerTime -ge $resumed.AddSeconds(-1) }
                $result | Should -Not -BeNullOrEmpty -Because "cycle $cycle's resume must be stepped"
                $result.Succeeded | Should -BeTrue
                $result.OffsetBeforeMs | Should -BeLessThan -18000 -Because 'the guest stood still for 20 s'
                $latencies += ([DateTime]$result.CompletedAt - [DateTime]$result.TriggerTime).TotalMilliseconds
                $final = Get-FinalResult $watcher $result $resumed.AddSeconds(-1)
                $final.Succeeded | Should -BeTrue
                $after += [math]::Abs($final.OffsetAfterMs)
                # An independent read through virsh agrees within -MaxDrift (single readings on this loaded TCG host scatter by tens of ms; the 50 ms bar is the median below).
                $check = Get-GuestOffset
                [math]::Abs($check.OffsetMs) | Should -BeLessThan (500 + $check.RoundTripMs / 2) -Because 'an independent read agrees'
            }
        }
        finally { Stop-Watcher $watcher }
        $medianLatency = ($latencies | Sort-Object)[[int][math]::Floor(($latencies.Count - 1) / 2)]
        $medianAfter = ($after | Sort-Object)[[int][math]::Floor(($after.Count - 1) / 2)]
        Write-Host ("suspend/resume over {0} cycles: resume event to the verified first step {1:N0} ms median ({2}); final offset after {3:N1} ms median ({4})" -f $cycles, $medianLatency, (($latencies | ForEach-Object { '{0:N0}' -f $_ }) -join ', '), $medianAfter, (($after | ForEach-Object { '{0:N1}' -f $_ }) -join ', '))
        $medianLatency | Should -BeLessThan 2000
        $medianAfter | Should -BeLessThan 50
    }

    It 'steps a guest after virsh save and virsh restore within 2 s, ending under 50 ms (medians of the cycles)' {
        # Up to 3 cycles (fewer with KVMTIME_WATCH_CYCLES): each save, wait and restore takes some 25 s here.
        $cycles = [math]::Min(3, $(if ($env:KVMTIME_WATCH_CYCLES) { [int]$env:KVMTIME_WATCH_CYCLES } else { 3 }))
        $watcher = Start-Watcher '-Interval 0:10:0'
        $saved = Join-Path $TestDrive 'guest.save'
        $after = @(); $latencies = @()
        try {
            foreach ($cycle in 1..$cycles) {
                virsh -q -c $Uri save $Domain $saved | Out-Null
                $LASTEXITCODE | Should -Be 0
                Start-Sleep -Seconds 10
                $restored = [DateTime]::UtcNow
                virsh -q -c $Uri restore $saved | Out-Null
                $LASTEXITCODE | Should -Be 0
                Remove-Item $saved
                $result = Wait-WatchResult $watcher { [DateTime]$_.TriggerTime -ge $restored.AddSeconds(-1) -and $_.OffsetBeforeMs -lt -5000 } 60
                $result | Should -Not -BeNullOrEmpty -Because "cycle $cycle's restore must be stepped"
                $result.Trigger | Should -BeIn @('lifecycle: Started Restored', 'lifecycle: Resumed Snapshot', "agent-lifecycle: state: 'connected' reason: 'channel event'")
                $result.Succeeded | Should -BeTrue
                $final = Get-FinalResult $watcher $result $restored.AddSeconds(-1)
                $after += [math]::Abs($final.OffsetAfterMs)
                $latencies += ([DateTime]$result.CompletedAt - [DateTime]$result.TriggerTime).TotalMilliseconds
                Start-Sleep -Seconds 2
            }
        }
        finally {
            Stop-Watcher $watcher
            Remove-Item $saved -ErrorAction SilentlyContinue
        }
        $medianAfter = ($after | Sort-Object)[[int][math]::Floor(($after.Count - 1) / 2)]
        $medianLatency = ($latencies | Sort-Object)[[int][math]::Floor(($latencies.Count - 1) / 2)]
        Write-Host ("save/restore over {0} cycles: restore event to the verified first step {1:N0} ms median; final offset after {2:N1} ms median ({3})" -f $cycles, $medianLatency, $medianAfter, (($after | ForEach-Object { '{0:N1}' -f $_ }) -join ', '))
        $medianLatency | Should -BeLessThan 2000
        $medianAfter | Should -BeLessThan 50
    }

    It 'steps a guest reverted to a snapshot, when the lab disk format allows an internal snapshot of a running domain' {
        $made = virsh -q -c $Uri snapshot-create-as $Domain kvmtime-watch-test 2>&1
        if ($LASTEXITCODE -ne 0) {
            Set-ItResult -Skipped -Because "libvirt refuses an internal snapshot here: $($made -join ' ') (the lab's persistent disk is raw; internal snapshots need qcow2 for every disk, and libvirt 9.0 cannot revert external ones)"
            return
        }
        $watcher = Start-Watcher '-Interval 0:10:0'
        try {
            Start-Sleep -Seconds 10
            $reverted = [DateTime]::UtcNow
            virsh -q -c $Uri snapshot-revert $Domain kvmtime-watch-test --running | Out-Null
            $result = Wait-WatchResult $watcher { [DateTime]$_.TriggerTime -ge $reverted.AddSeconds(-1) -and $_.OffsetBeforeMs -lt -5000 } 60
            $result | Should -Not -BeNullOrEmpty
            [math]::Abs($result.OffsetAfterMs) | Should -BeLessThan 50
        }
        finally {
            Stop-Watcher $watcher
            virsh -q -c $Uri snapshot-delete $Domain kvmtime-watch-test | Out-Null
        }
    }

    It 'steps a guest when its restarted qemu-ga connects again' {
        $watcher = Start-Watcher '-Interval 0:10:0'
        try {
            # Skew through the agent (no event says so), then kill qemu-ga; the guest's init respawns it.
            Set-GuestSkew -30
            $killed = [DateTime]::UtcNow
            Invoke-Lab ssh, $Guest.Name, 'killall qemu-ga' | Out-Null
            $result = Wait-WatchResult $watcher { $_.Trigger -like 'agent-lifecycle: state: ''connected''*' -and [DateTime]$_.TriggerTime -ge $killed } 60
            $result | Should -Not -BeNullOrEmpty
            $result.OffsetBeforeMs | Should -BeLessThan -25000
            $result.Succeeded | Should -BeTrue
            # Just after qemu-ga restarts, the TCG guest is busy and a step can land further off than 50 ms; -MaxDrift (0.5 s) verified it.
            [math]::Abs($result.OffsetAfterMs) | Should -BeLessThan 500
        }
        finally { Stop-Watcher $watcher }
    }

    It 'finds a guest skewed while no watcher ran, and one skewed silently later, by its polls' {
        $first = Start-Watcher '-Interval 0:0:10'
        Stop-Watcher $first
        Set-GuestSkew -30
        $restarted = [DateTime]::UtcNow
        $watcher = Start-Watcher '-Interval 0:0:10'
        try {
            $atStart = Wait-WatchResult $watcher { $_.Trigger -eq 'poll' -and [DateTime]$_.CompletedAt -ge $restarted } 30
            $atStart | Should -Not -BeNullOrEmpty -Because 'the first poll runs when the watch starts'
            $atStart.OffsetBeforeMs | Should -BeLessThan -25000
            # A poll's step is verified against -MaxDrift (0.5 s); the 50 ms of the issue is asked of the event tests.
            $atStart.Succeeded | Should -BeTrue
            [math]::Abs($atStart.OffsetAfterMs) | Should -BeLessThan 500

            Set-GuestSkew -7
            $skewed = [DateTime]::UtcNow
            $later = Wait-WatchResult $watcher { $_.Trigger -eq 'poll' -and [DateTime]$_.CompletedAt -ge $skewed } 40
            $later | Should -Not -BeNullOrEmpty -Because "the next -Interval poll finds it (skewed at $($skewed.ToString('o')); the watcher wrote:`n$((Read-Watcher $watcher | ForEach-Object { $_ | ConvertTo-Json -Compress }) -join "`n"))"
            $later.OffsetBeforeMs | Should -BeLessThan -5000
            $later.Succeeded | Should -BeTrue
            [math]::Abs($later.OffsetAfterMs) | Should -BeLessThan 500
        }
        finally { Stop-Watcher $watcher }
    }

    It 'refuses to step a guest back by more than -MaxBackwardStep, and steps it with -AllowBackward' {
        Set-GuestSkew 30
        $results = @(Watch-GuestTime -Domain $Domain -LibvirtUri $Uri -Interval 0:10:0 -Duration 0:0:8 -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $results | Should -HaveCount 0
        $refused = @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'BackwardStepRefused,*' })
        $refused | Should -Not -BeNullOrEmpty
        $refused[0].Exception.Message | Should -Match 'ahead of the host'
        (Get-GuestOffset).OffsetMs | Should -BeGreaterThan 25000 -Because 'a refused guest is left alone'

        $stepped = @(Watch-GuestTime -Domain $Domain -LibvirtUri $Uri -Interval 0:10:0 -Duration 0:0:8 -AllowBackward -Confirm:$false -WarningAction SilentlyContinue)
        $stepped | Should -HaveCount 1
        $stepped[0].Trigger | Should -Be 'poll'
        $stepped[0].OffsetBefore.TotalSeconds | Should -BeGreaterThan 25
        $stepped[0].Succeeded | Should -BeTrue
    }

    It '-WhatIf shows the step and changes nothing' {
        Set-GuestSkew -10
        $results = @(Watch-GuestTime -Domain $Domain -LibvirtUri $Uri -Interval 0:10:0 -Duration 0:0:6 -WhatIf -WarningAction SilentlyContinue)
        $results | Should -HaveCount 1
        $results[0].Applied | Should -BeFalse
        $results[0].Trigger | Should -Be 'poll'
        (Get-GuestOffset).OffsetMs | Should -BeLessThan -8000
        Set-GuestSkew 0
    }

    It 'refuses a host whose own chronyd has no source (HostNotSynchronized), in Watch-GuestTime and Sync-GuestTime, unless -Force' {
        # The lab guest stands in for an unsynchronized KVM host: a chronyd with no source, that never touches the clock.
        # A chronyd the guest already runs (another test's) is stopped, its command line kept, and started again afterwards.
        $start = 'pid=$(pidof chronyd); if [ -n "$pid" ]; then tr "\000" " " </proc/$pid/cmdline >/tmp/kt-prev-chronyd; kill $pid; i=0; while pidof chronyd >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; fi; ' +
            '[ -d /run/chrony ] || { mkdir -p /run/chrony && touch /tmp/kt-made-run-chrony; }; ' +
            'printf "driftfile /tmp/kt.drift\npidfile /tmp/kt-chronyd.pid\n" >/tmp/kt.conf && chronyd -x -f /tmp/kt.conf'
        & bash (Join-Path $PSScriptRoot '../lab/lab.sh') ssh $Guest.Name $start 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $watched = @(Watch-GuestTime @GuestSsh -Duration 0:0:5 -ErrorVariable watchErrs -ErrorAction SilentlyContinue)
            $watched | Should -HaveCount 0
            $watchErrs[0].FullyQualifiedErrorId | Should -BeLike 'HostNotSynchronized,*'
            $watchErrs[0].Exception.Message | Should -Match 'Not synchronised'

            $null = Sync-GuestTime @GuestSsh -All -ErrorVariable syncErrs -ErrorAction SilentlyContinue
            $syncErrs[0].FullyQualifiedErrorId | Should -BeLike 'HostNotSynchronized,*'

            # -Force passes the guard (and then finds no libvirt in the guest).
            $null = Sync-GuestTime @GuestSsh -All -Force -ErrorVariable forcedErrs -ErrorAction SilentlyContinue -WarningVariable forcedWarnings -WarningAction SilentlyContinue
            $forcedErrs[0].FullyQualifiedErrorId | Should -Not -BeLike 'HostNotSynchronized,*'
            ($forcedWarnings -join "`n") | Should -Match '-Force: copying'
        }
        finally {
            Invoke-Lab ssh, $Guest.Name, 'kill $(cat /tmp/kt-chronyd.pid); sleep 1; rm -f /tmp/kt.conf /tmp/kt.drift /tmp/kt-chronyd.pid; [ -e /tmp/kt-made-run-chrony ] && rm -rf /run/chrony /tmp/kt-made-run-chrony; [ -f /tmp/kt-prev-chronyd ] && { sh -c "$(cat /tmp/kt-prev-chronyd)"; rm -f /tmp/kt-prev-chronyd; }; true' | Out-Null
        }
    }
}
