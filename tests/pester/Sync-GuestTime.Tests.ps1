BeforeDiscovery {
    $fixturePath = Join-Path $PSScriptRoot '../../out/lab/lab.json'
    $Lab = if (Test-Path $fixturePath) { Get-Content -Raw $fixturePath | ConvertFrom-Json }
}

BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force

    # Sets a guest clock through its agent socket without the module: 0xFF, guest-sync-delimited, guest-set-time.
    function Set-AgentTime([string] $Socket, [long] $UnixNanoseconds) {
        $client = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        try {
            $client.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($Socket))
            $stream = [System.Net.Sockets.NetworkStream]::new($client)
            $id = Get-Random -Minimum 1 -Maximum 2000000000
            $text = [char]0xFF + "{`"execute`":`"guest-sync-delimited`",`"arguments`":{`"id`":$id}}`n" +
                "{`"execute`":`"guest-set-time`",`"arguments`":{`"time`":$UnixNanoseconds}}`n"
            $bytes = [System.Text.Encoding]::Latin1.GetBytes($text)
            $stream.Write($bytes, 0, $bytes.Length)
            $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::Latin1)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            do { $line = $reader.ReadLine() } until ($line -match '^\{"return": \{\}\}' -or [DateTime]::UtcNow -gt $deadline)
            $line | Should -Match 'return'
        }
        finally { $client.Dispose() }
    }

    function Get-HourAheadNanoseconds { [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeMilliseconds() * 1000000 }
}

Describe 'Sync-GuestTime input checks' -Tag 'Local' {
    It 'refuses a domain name that could reach the shell as an option or quote, before running anything' {
        $result = Sync-GuestTime -Domain "-c'x" -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'says AgentSocketNotFound for an agent socket path that does not exist' {
        $null = Sync-GuestTime -AgentSocket (Join-Path $TestDrive 'none.sock') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AgentSocketNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'has -WhatIf and -Confirm, and the four parameter sets' {
        $cmd = Get-Command Sync-GuestTime
        $cmd.Parameters.Keys | Should -Contain 'WhatIf'
        @($cmd.ParameterSets.Name | Sort-Object) | Should -Be @('AgentSocket', 'All', 'Domain', 'InGuest')
        $cmd.DefaultParameterSet | Should -Be 'InGuest'
    }
}

Describe 'Sync-GuestTime from the KVM host against the lab guests' -Tag 'Lab' -Skip:($null -eq $Lab -or @($Lab.Guests).Count -eq 0) {
    BeforeAll {
        $lab = Get-Content -Raw (Join-Path $PSScriptRoot '../../out/lab/lab.json') | ConvertFrom-Json
        $guest = $lab.Guests[0]
        $uri = $guest.LibvirtUri
        function Push-HourAhead {
            $json = '{"execute":"guest-set-time","arguments":{"time":' + (Get-HourAheadNanoseconds) + '}}'
            virsh -q -c $uri qemu-agent-command --domain $guest.Domain $json | Out-Null
            $LASTEXITCODE | Should -Be 0
        }
    }

    It 'brings a guest pushed one hour ahead back under 50 ms, and OffsetBefore shows about +3600 s' {
        Push-HourAhead
        $result = Sync-GuestTime -Domain $guest.Domain -LibvirtUri $uri -MaxOffset ([timespan]::FromMilliseconds(50))
        $result.GetType().FullName | Should -Be 'KvmTime.Model.TimeSyncResult'
        $result.Domain | Should -Be $guest.Domain
        $result.Method | Should -Be 'Virsh'
        $result.OffsetBefore.TotalSeconds | Should -BeGreaterThan 3595
        $result.OffsetBefore.TotalSeconds | Should -BeLessThan 3605
        [math]::Abs($result.OffsetAfter.TotalMilliseconds) | Should -BeLessThan 50
        $result.Succeeded | Should -BeTrue
    }

    It 'agrees with an independent reading through virsh after the sync' {
        Push-HourAhead
        $null = Sync-GuestTime -Domain $guest.Domain -LibvirtUri $uri
        $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $reply = virsh -q -c $uri qemu-agent-command --domain $guest.Domain '{"execute":"guest-get-time"}' | ConvertFrom-Json
        $after = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        [math]::Abs($reply.return / 1e6 - ($before + $after) / 2) | Should -BeLessThan 200
    }

    It '-WhatIf measures and shows the exact command but leaves the hour in place' {
        Push-HourAhead
        # What-if text goes straight to the host, so read it from a child pwsh's output.
        $script = "Import-Module '$(Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1')'; Sync-GuestTime -Domain '$($guest.Domain)' -LibvirtUri '$uri' -WhatIf"
        $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script | Out-String
        $out | Should -Match 'guest-set-time'
        $out | Should -Match '\+3\d{3}\.\d{3} s'
        $reply = virsh -q -c $uri qemu-agent-command --domain $guest.Domain '{"execute":"guest-get-time"}' | ConvertFrom-Json
        ($reply.return / 1e9 - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()) | Should -BeGreaterThan 3500
        $null = Sync-GuestTime -Domain $guest.Domain -LibvirtUri $uri
    }

    It '-All syncs every running domain, and a missing domain next to a real one gets DomainNotFound' {
        Push-HourAhead
        $all = Sync-GuestTime -All -LibvirtUri $uri
        $all.Domain | Should -Contain $guest.Domain
        ($all | Where-Object Domain -EQ $guest.Domain).OffsetBefore.TotalSeconds | Should -BeGreaterThan 3595

        $result = Sync-GuestTime -Domain 'kvmtime-no-such-domain', $guest.Domain -LibvirtUri $uri -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Domain | Should -Be $guest.Domain
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DomainNotFound,*'
    }

    It 'fails a sync with OffsetAboveMaximum when -MaxOffset is below what is reachable' {
        $result = Sync-GuestTime -Domain $guest.Domain -LibvirtUri $uri -MaxOffset ([timespan]::FromTicks(1)) -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Succeeded | Should -BeFalse
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OffsetAboveMaximum,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidResult'
    }
}

Describe 'Sync-GuestTime through the agent socket of a plain QEMU lab guest' -Tag 'Lab' -Skip:($null -eq $Lab -or @($Lab.QemuGuests | Where-Object AgentSocketDirect).Count -eq 0) {
    BeforeAll {
        $lab = Get-Content -Raw (Join-Path $PSScriptRoot '../../out/lab/lab.json') | ConvertFrom-Json
        $socket = ($lab.QemuGuests | Where-Object AgentSocketDirect | Select-Object -First 1).AgentSocket
    }

    It 'brings a guest pushed one hour ahead back under 50 ms, and OffsetBefore shows about +3600 s' {
        Set-AgentTime -Socket $socket -UnixNanoseconds (Get-HourAheadNanoseconds)
        $result = Sync-GuestTime -AgentSocket $socket -MaxOffset ([timespan]::FromMilliseconds(50))
        $result.Method | Should -Be 'GuestAgent'
        $result.Domain | Should -Be $socket
        $result.OffsetBefore.TotalSeconds | Should -BeGreaterThan 3595
        $result.OffsetBefore.TotalSeconds | Should -BeLessThan 3605
        [math]::Abs($result.OffsetAfter.TotalMilliseconds) | Should -BeLessThan 50
        $result.Succeeded | Should -BeTrue
    }
}

Describe 'Sync-GuestTime and Get-GuestTimeSync inside a lab guest over SSH' -Tag 'Lab' -Skip:($null -eq $Lab -or @($Lab.Guests).Count -eq 0) {
    BeforeAll {
        $lab = Get-Content -Raw (Join-Path $PSScriptRoot '../../out/lab/lab.json') | ConvertFrom-Json
        $guest = $lab.Guests[0]
        $ssh = @{
            ComputerName   = "$($guest.SshHost):$($guest.SshPort)"
            UserName       = $guest.UserName
            KeyFilePath    = $guest.KeyFilePath
            KnownHostsPath = $guest.KnownHostsPath
        }
        # The guest's chronyd follows the lab's NTP server on the gateway (10.0.2.2); start it when the lab did not.
        $null = & bash (Join-Path $PSScriptRoot '../lab/lab.sh') ssh $guest.Name 'pidof chronyd >/dev/null || /etc/init.d/chrony start; chronyc burst 4/4 >/dev/null; sleep 6'
    }

    It 'Get-GuestTimeSync reports chronyd synchronised to the lab server' {
        $status = Get-GuestTimeSync @ssh
        $status.Daemon | Should -Be 'chronyd'
        $status.IsSynchronized | Should -BeTrue
        $status.Source | Should -Be $lab.Ntp.GuestAddress
        $status.LeapStatus | Should -Be 'Normal'
        ($status.Sources | Where-Object IsSelected).Name | Should -Be $lab.Ntp.GuestAddress
    }

    It 'Sync-GuestTime -Method Chrony steps a guest pushed one hour ahead back' {
        $json = '{"execute":"guest-set-time","arguments":{"time":' + (Get-HourAheadNanoseconds) + '}}'
        virsh -q -c $guest.LibvirtUri qemu-agent-command --domain $guest.Domain $json | Out-Null
        $result = Sync-GuestTime @ssh -Method Chrony -MaxOffset ([timespan]::FromMilliseconds(100))
        $result.Method | Should -Be 'Chrony'
        $result.Source | Should -Be $lab.Ntp.GuestAddress
        $result.OffsetBefore.TotalSeconds | Should -BeGreaterThan 3590
        [math]::Abs($result.OffsetAfter.TotalMilliseconds) | Should -BeLessThan 100
        $result.Succeeded | Should -BeTrue
        $reply = virsh -q -c $guest.LibvirtUri qemu-agent-command --domain $guest.Domain '{"execute":"guest-get-time"}' | ConvertFrom-Json
        [math]::Abs($reply.return / 1e9 - [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1e3) | Should -BeLessThan 1
    }
}
