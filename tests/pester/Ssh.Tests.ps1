BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Sshd = Start-TestSshd -PortCount 64
    $script:Target = "127.0.0.1:$($Sshd.Port)"
    $script:Ssh = @{ UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
    $script:SysfsCurrent = (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
    function New-KnownHosts([string[]] $Lines) {
        $path = Join-Path $TestDrive "known_hosts_$([guid]::NewGuid().ToString('N'))"
        Set-Content -Path $path -Value $Lines
        $path
    }
}

AfterAll {
    Get-KvmTimeSession | Remove-KvmTimeSession
    Stop-TestSshd $Sshd
}

Describe 'SSH targets against a real sshd on loopback' -Tag 'Ssh' {
    It 'reads the clocksource over SSH with key authentication' {
        $info = Get-KvmClocksource -ComputerName $Target @Ssh
        $info.ComputerName | Should -Be $Target
        $info.Current | Should -Be $SysfsCurrent
        $info.Available | Should -Contain 'kvm-clock'
    }

    It 'accepts -Port instead of host:port' {
        (Get-KvmClocksource -ComputerName 127.0.0.1 -Port $Sshd.Port @Ssh).Current | Should -Be $SysfsCurrent
    }

    It 'authenticates a non-root user with a password' {
        $cred = [pscredential]::new($Sshd.UserName, (ConvertTo-SecureString $Sshd.Password -AsPlainText -Force))
        (Get-KvmClocksource -ComputerName $Target -Credential $cred -KnownHostsPath $Sshd.KnownHostsPath).Current | Should -Be $SysfsCurrent
    }

    It 'runs through sudo for a non-root user, with the password only at sudo''s prompt' {
        # dmesg_restrict=1 here: without sudo the kernel log is unreadable and MarkedUnstable is unknown.
        $cred = [pscredential]::new($Sshd.UserName, (ConvertTo-SecureString $Sshd.Password -AsPlainText -Force))
        (Get-Content /proc/sys/kernel/dmesg_restrict) | Should -Be '1'
        $plain = Test-ConstantTsc -ComputerName $Target -Credential $cred -KnownHostsPath $Sshd.KnownHostsPath
        $plain.MarkedUnstable | Should -BeNullOrEmpty
        $verbose = Test-ConstantTsc -ComputerName $Target -Credential $cred -KnownHostsPath $Sshd.KnownHostsPath -UseSudo -Verbose 4>&1
        $report = $verbose | Where-Object { $_ -is [KvmTime.Model.TscReport] }
        $report.MarkedUnstable | Should -BeFalse
        ($verbose | Out-String) | Should -Not -Match ([regex]::Escape($Sshd.Password))
        # sshd logs every exec'd command line at VERBOSE; the password must not be there.
        Get-Content $Sshd.LogPath -Raw | Should -Not -Match ([regex]::Escape($Sshd.Password))
    }

    It 'fails a wrong password with AuthenticationFailed' {
        $cred = [pscredential]::new($Sshd.UserName, (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        Get-KvmClocksource -ComputerName $Target -Credential $cred -KnownHostsPath $Sshd.KnownHostsPath -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $e[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}

Describe 'Host key verification against known_hosts' -Tag 'Ssh' {
    It 'refuses an unknown host with its SHA256 fingerprint in OpenSSH form' {
        $empty = New-KnownHosts @()
        $expected = ((ssh-keygen -lf $Sshd.HostKeyPath -E sha256) -split ' ')[1]
        Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $empty -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyUnknown,*'
        $e[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $e[0].Exception.Message | Should -Match ([regex]::Escape($expected))
        $e[0].Exception.Message | Should -Match 'AcceptNewHostKey'
        (Get-Content $empty -Raw) | Should -BeNullOrEmpty
    }

    It 'trusts a new host with -AcceptNewHostKey and appends it as [host]:port' {
        $kh = New-KnownHosts @('# my hosts')
        (Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -AcceptNewHostKey).Current | Should -Be $SysfsCurrent
        $lines = Get-Content $kh
        $lines[0] | Should -Be '# my hosts'
        $lines | Should -Contain "[127.0.0.1]:$($Sshd.Port) $($Sshd.HostKeyLine)"
        # OpenSSH accepts what we wrote.
        ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$kh -i $Sshd.KeyFilePath -p $Sshd.Port root@127.0.0.1 true
        $LASTEXITCODE | Should -Be 0
    }

    It 'always refuses a changed key, even with -AcceptNewHostKey, naming both fingerprints and the line' {
        $other = Join-Path $TestDrive "other_$([guid]::NewGuid().ToString('N'))"
        ssh-keygen -q -t ed25519 -N '' -f $other
        $kh = New-KnownHosts @('# first line', "[127.0.0.1]:$($Sshd.Port) $(Get-PublicKeyLine "$other.pub")")
        $before = Get-Content $kh -Raw
        Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -AcceptNewHostKey -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyMismatch,*'
        $message = $e[0].Exception.Message
        $message | Should -Match ([regex]::Escape(((ssh-keygen -lf "$other.pub" -E sha256) -split ' ')[1]))
        $message | Should -Match ([regex]::Escape(((ssh-keygen -lf $Sshd.HostKeyPath -E sha256) -split ' ')[1]))
        $message | Should -Match 'line 2'
        $message | Should -Match ([regex]::Escape("ssh-keygen -R '[127.0.0.1]:$($Sshd.Port)'"))
        Get-Content $kh -Raw | Should -Be $before
    }

    It 'matches hashed |1| entries written by ssh-keygen -H' {
        $kh = New-KnownHosts @("[127.0.0.1]:$($Sshd.Port) $($Sshd.HostKeyLine)")
        ssh-keygen -H -f $kh 2>$null | Out-Null
        (Get-Content $kh -Raw) | Should -Match '^\|1\|'
        (Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh).Current | Should -Be $SysfsCurrent
    }

    It 'does not take an entry for port 22 as trust for another port' {
        $kh = New-KnownHosts @("127.0.0.1 $($Sshd.HostKeyLine)")
        Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyUnknown,*'
    }

    It 'refuses a key marked @revoked' {
        $kh = New-KnownHosts @("[127.0.0.1]:$($Sshd.Port) $($Sshd.HostKeyLine)", "@revoked * $($Sshd.HostKeyLine)")
        Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyRevoked,*'
    }

    It 'verifies an RSA host key when that is the type known_hosts holds' {
        $kh = New-KnownHosts @("[127.0.0.1]:$($Sshd.Port) $(Get-PublicKeyLine (Join-Path $Sshd.Directory 'host_rsa.pub'))")
        (Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh).Current | Should -Be $SysfsCurrent
    }
}

Describe 'known_hosts read once per fan-out, never stale' -Tag 'Ssh' {
    It 'trusts every host a fan-out appended with -AcceptNewHostKey on the next call in the same process' {
        $kh = New-KnownHosts @('# my hosts')
        $three = @($Sshd.Ports[1..3] | ForEach-Object { "127.0.0.1:$_" })
        @(Get-KvmClocksource -ComputerName $three -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -AcceptNewHostKey).Count | Should -Be 3
        @(Get-Content $kh).Count | Should -Be 4
        @(Get-KvmClocksource -ComputerName $three -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -ErrorVariable e -ErrorAction SilentlyContinue).Count | Should -Be 3
        $e | Should -BeNullOrEmpty
    }

    It 'refuses a host whose key was replaced in known_hosts after an earlier call trusted it' {
        $kh = New-KnownHosts @("[127.0.0.1]:$($Sshd.Port) $($Sshd.HostKeyLine)")
        (Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh).Current | Should -Be $SysfsCurrent
        $other = Join-Path $TestDrive "other_$([guid]::NewGuid().ToString('N'))"
        ssh-keygen -q -t ed25519 -N '' -f $other
        Set-Content -Path $kh -Value "[127.0.0.1]:$($Sshd.Port) $(Get-PublicKeyLine "$other.pub")"
        Get-KvmClocksource -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $kh -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyMismatch,*'
    }
}

Describe 'Key exchange' -Tag 'Ssh' {
    BeforeAll {
        function Get-KeyExchangeLog([hashtable] $Parameters, [string] $ComputerName = $Target) {
            $all = $Ssh.Clone()
            foreach ($name in $Parameters.Keys) { $all[$name] = $Parameters[$name] }
            $records = Get-KvmClocksource -ComputerName $ComputerName @all -Verbose 4>&1 3>&1
            [pscustomobject]@{
                Results  = @($records | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] })
                Method   = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'key exchange (\S+) \(([^)]+)\);' } | ForEach-Object { $Matches[1] })
                By       = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'key exchange (\S+) \(([^)]+)\);' } | ForEach-Object { $Matches[2] })
                Warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
            }
        }
    }

    It 'offers post-quantum first, so Debian 12''s sshd negotiates sntrup761x25519-sha512, named in -Verbose, without a warning' {
        $log = Get-KeyExchangeLog @{}
        $log.Results.Count | Should -Be 1
        $log.Method | Should -Be 'sntrup761x25519-sha512'
        $log.Warnings | Should -BeNullOrEmpty
    }

    It 'runs sntrup761x25519-sha512 with KvmTime''s own sntrup761 against the real OpenSSH sshd, by default and when chosen' {
        (Get-KeyExchangeLog @{}).By | Should -Be "KvmTime's sntrup761"
        $chosen = Get-KeyExchangeLog @{ KeyExchangeAlgorithm = 'sntrup761x25519-sha512' }
        $chosen.Results[0].Current | Should -Be $SysfsCurrent
        $chosen.By | Should -Be "KvmTime's sntrup761"
    }

    It 'uses only the methods of -KeyExchangeAlgorithm, in their order, and a chosen method does not warn' {
        $log = Get-KeyExchangeLog @{ KeyExchangeAlgorithm = 'curve25519-sha256', 'sntrup761x25519-sha512' }
        $log.Method | Should -Be 'curve25519-sha256'
        $log.By | Should -Be 'SSH.NET'
        $log.Warnings | Should -BeNullOrEmpty
    }

    It 'fails when the server has none of the chosen methods, rather than using another' {
        Get-KvmClocksource -ComputerName $Target @Ssh -KeyExchangeAlgorithm mlkem768x25519-sha256 -ErrorVariable e -ErrorAction SilentlyContinue
        $e | Should -HaveCount 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'KeyExchangeMismatch,*'
        $e[0].Exception.Message | Should -Match 'server offers sntrup761x25519-sha512.*KvmTime offered mlkem768x25519-sha256 \(-KeyExchangeAlgorithm\)' 
    }

    It 'refuses a SHA-1 method at parameter binding, listing the choices' {
        { Get-KvmClocksource -ComputerName $Target @Ssh -KeyExchangeAlgorithm diffie-hellman-group14-sha1 } | Should -Throw '*Choose from: mlkem768x25519-sha256*'
    }

    It 'warns, naming the method, when the server offers no post-quantum method (never a silent downgrade)' {
        $classic = Start-TestSshd -ExtraConfig 'KexAlgorithms curve25519-sha256'
        try {
            $log = Get-KeyExchangeLog @{ KeyFilePath = $classic.KeyFilePath; KnownHostsPath = $classic.KnownHostsPath } "127.0.0.1:$($classic.Port)"
            $log.Results.Count | Should -Be 1
            $log.Method | Should -Be 'curve25519-sha256'
            $log.Warnings | Should -HaveCount 1
            $log.Warnings[0] | Should -Match 'curve25519-sha256, which is not post-quantum'
        }
        finally {
            Stop-TestSshd $classic
        }
    }
}

Describe 'Tab completion of -ComputerName' -Tag 'Ssh' {
    It 'offers the hosts of known_hosts as host:port, and skips hashed and wildcard entries' {
        $kh = New-KnownHosts @("[127.0.0.1]:$($Sshd.Port) $($Sshd.HostKeyLine)", "web1.example,10.9.8.7 $($Sshd.HostKeyLine)", "*.lab $($Sshd.HostKeyLine)")
        $line = "Get-KvmClocksource -KnownHostsPath '$kh' -ComputerName "
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain "127.0.0.1:$($Sshd.Port)"
        $names | Should -Contain 'web1.example'
        $names | Should -Not -Contain '*.lab'
        $line = "Get-KvmClocksource -KnownHostsPath '$kh' -ComputerName we"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'web1.example'
    }
}

Describe 'Failures and fan-out' -Tag 'Ssh' {
    It 'reports a closed port as HostUnreachable' {
        $dead = Get-FreeTcpPort
        Get-KvmClocksource -ComputerName "127.0.0.1:$dead" @Ssh -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'HostUnreachable,*'
        $e[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $e[0].TargetObject | Should -Be "127.0.0.1:$dead"
    }

    It 'times out a host that accepts TCP but never speaks SSH, with ConnectTimeout' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            Get-KvmClocksource -ComputerName "127.0.0.1:$($listener.LocalEndpoint.Port)" @Ssh -ConnectTimeout 2 -ErrorVariable e -ErrorAction SilentlyContinue
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            $e[0].FullyQualifiedErrorId | Should -BeLike 'ConnectTimeout,*'
            $e[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        }
        finally { $listener.Stop() }
    }

    It 'fans out to 64 targets at once against stock MaxStartups, with one dead among them, and loses no result' {
        $dead = Get-FreeTcpPort
        $targets = @($Sshd.Ports | ForEach-Object { "127.0.0.1:$_" }) + "127.0.0.1:$dead"
        # 64 key exchanges at once on 2 cores, with the client and every sshd on this machine: banners
        # come late because the CPU is saturated, not because anything is lost; hence -ConnectTimeout 60.
        $results = Get-KvmClocksource -ComputerName $targets @Ssh -ThrottleLimit 65 -ConnectTimeout 60 -ErrorVariable e -ErrorAction SilentlyContinue
        $results | Should -HaveCount 64
        @($results.ComputerName | Sort-Object -Unique) | Should -HaveCount 64
        $results | ForEach-Object { $_.Current | Should -Be $SysfsCurrent }
        $e | Should -HaveCount 1
        $e[0].TargetObject | Should -Be "127.0.0.1:$dead"
    }

    It 'takes a shell metacharacter in a host name as a name, and runs nothing' {
        $marker = Join-Path $TestDrive 'pwned'
        Get-KvmClocksource -ComputerName "127.0.0.1;touch $marker" @Ssh -ConnectTimeout 2 -ErrorAction SilentlyContinue -ErrorVariable e
        $e | Should -HaveCount 1
        $marker | Should -Not -Exist
    }

    It 'stops every in-flight connection within a second on Ctrl-C (StopProcessing)' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $ps = [powershell]::Create()
        try {
            # The import runs on its own first: stopping a batch mid-way can crash pwsh (see Set-GuestClocksource.Tests).
            $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1')).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Get-KvmClocksource').AddParameter('ComputerName', @(1..5 | ForEach-Object { "127.0.0.1:$($listener.LocalEndpoint.Port)" })).AddParameter('ConnectTimeout', 60).AddParameter('UserName', 'root').AddParameter('KeyFilePath', $Sshd.KeyFilePath).AddParameter('KnownHostsPath', $Sshd.KnownHostsPath)
            $async = $ps.BeginInvoke()
            Start-Sleep -Seconds 1
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $null = $async.AsyncWaitHandle.WaitOne(5000)
            $async.IsCompleted | Should -BeTrue
            # A second, with headroom for a loaded CI machine.
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
        }
        finally { $ps.Dispose(); $listener.Stop() }
    }
}

Describe 'KvmTime sessions' -Tag 'Ssh' {
    It 'opens, lists, reuses and closes a session' {
        $s = New-KvmTimeSession -ComputerName $Target @Ssh
        $s.State | Should -Be 'Opened'
        $s.UserName | Should -Be 'root'
        Get-KvmTimeSession -Id $s.Id | Should -Be $s
        $r = Get-KvmClocksource -Session $s
        $r.Current | Should -Be $SysfsCurrent
        $r.Session | Should -Be $s
        Remove-KvmTimeSession -Session $s
        $s.State | Should -Be 'Closed'
        Get-KvmClocksource -Session $s -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SessionClosed,*'
    }

    It 'returns each script''s stdout and stderr apart, exactly, through the same warm shell' {
        $s = New-KvmTimeSession -ComputerName $Target @Ssh
        try {
            # The session's target is internal: reached by reflection, to run raw scripts as the cmdlets do.
            $target = $s.GetType().GetProperty('Target', [System.Reflection.BindingFlags]'NonPublic,Instance').GetValue($s)
            $run = { param($script) $target.RunShellAsync($script, $null, [System.Threading.CancellationToken]::None).GetAwaiter().GetResult() }
            $first = & $run 'printf "out 1\n"; printf "err 1\nno newline" >&2; exit 3'
            $first.StandardOutput | Should -Be "out 1`n"
            $first.StandardError | Should -Be "err 1`nno newline"
            $first.ExitCode | Should -Be 3
            # A background process of an earlier script wrote to stderr between two scripts: not the next one's.
            $written = "/tmp/kvmtime-stray-$([guid]::NewGuid().ToString('N'))"
            try {
                $null = & $run "(sleep 1; printf 'stray\n' >&2; touch $written) &"
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (-not (Test-Path $written) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                $second = & $run 'printf "out 2"'
            }
            finally { Remove-Item $written -ErrorAction Ignore }
            $second.StandardOutput | Should -Be 'out 2'
            $second.StandardError | Should -Be ''
            $third = & $run 'printf "err 3\n" >&2'
            $third.StandardError | Should -Be "err 3`n"
        }
        finally { Remove-KvmTimeSession $s }
    }

    It 'binds the session by property name into the next cmdlet' {
        $s = New-KvmTimeSession -ComputerName $Target @Ssh
        try {
            $report = Get-KvmClocksource -Session $s | Test-ConstantTsc
            $report.ComputerName | Should -Be $Target
            $report.Session.Id | Should -Be $s.Id
        }
        finally { Remove-KvmTimeSession $s }
    }

    It 'works from ForEach-Object -Parallel and thread jobs' {
        $s = New-KvmTimeSession -ComputerName $Target @Ssh
        try {
            $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
            $parallel = 1..4 | ForEach-Object -Parallel { Import-Module $using:module; (Get-KvmClocksource -Session $using:s).Current } -ThrottleLimit 4
            $parallel | Should -HaveCount 4
            $parallel | ForEach-Object { $_ | Should -Be $SysfsCurrent }
            $job = Start-ThreadJob { Import-Module $using:module; (Get-KvmClocksource -Session $using:s).Current }
            $job | Wait-Job | Receive-Job | Should -Be $SysfsCurrent
        }
        finally { Remove-KvmTimeSession $s }
    }

    It 'honours -WhatIf on Remove-KvmTimeSession' {
        $s = New-KvmTimeSession -ComputerName $Target @Ssh
        Remove-KvmTimeSession $s -WhatIf
        $s.State | Should -Be 'Opened'
        Remove-KvmTimeSession $s
    }

    It 'writes one error per failed host from New-KvmTimeSession' {
        $dead = Get-FreeTcpPort
        $sessions = New-KvmTimeSession -ComputerName $Target, "127.0.0.1:$dead" @Ssh -ErrorVariable e -ErrorAction SilentlyContinue
        $sessions | Should -HaveCount 1
        $e | Should -HaveCount 1
        $sessions | Remove-KvmTimeSession
    }
}

Describe 'PowerShell remoting over SSH' -Tag 'Ssh' {
    BeforeAll {
        $script:PsSession = New-PSSession -HostName 127.0.0.1 -Port $Sshd.Port -UserName root -KeyFilePath $Sshd.KeyFilePath `
            -Options @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $Sshd.KnownHostsPath; BatchMode = 'yes' }
    }
    AfterAll { $PsSession | Remove-PSSession }

    It 'works through a PSSession with -Session' {
        $r = Get-KvmClocksource -Session $PsSession
        $r.Current | Should -Be $SysfsCurrent
        $r.ComputerName | Should -Be '127.0.0.1'
    }

    It 'runs the module on the remote side, and the deserialized objects format with the default view' {
        $modulePath = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
        $remote = Invoke-Command -Session $PsSession { Import-Module $using:modulePath; Get-KvmClocksource; Test-ConstantTsc }
        $remote[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.KvmTime.Model.ClocksourceInfo'
        $remote[0].Current | Should -Be $SysfsCurrent
        ($remote[0] | Format-Table | Out-String) | Should -Match 'ComputerName\s+Os\s+Current\s+Vdso\s+Available'
        ($remote[1] | Format-Table | Out-String) | Should -Match 'ComputerName\s+Invariant\s+Unstable'
    }
}

Describe 'Dependency isolation' -Tag 'Ssh' {
    It 'connects over SSH when another Renci.SshNet version was loaded first' {
        $standIn = Join-Path $TestDrive 'standin'
        $null = New-Item -ItemType Directory $standIn
        $dll = Join-Path $standIn 'Renci.SshNet.dll'
        $modulePath = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
        # Compile a real assembly named Renci.SshNet with another version, as another module would ship it.
        $script = @"
Add-Type -TypeDefinition 'public class KvmTimeRoslynWarmup {}'
`$source = '[assembly: System.Reflection.AssemblyVersion("2020.0.0.0")] namespace Renci.SshNet { public class SshClient { } }'
`$tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText(`$source)
`$core = Split-Path ([object].Assembly.Location)
`$refs = [Microsoft.CodeAnalysis.MetadataReference[]]@(([object].Assembly.Location), (Join-Path `$core System.Runtime.dll) | ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile(`$_) })
`$options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
`$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('Renci.SshNet', [Microsoft.CodeAnalysis.SyntaxTree[]]@(`$tree), `$refs, `$options)
`$stream = [System.IO.File]::Create('$dll')
`$null = `$compilation.Emit(`$stream, `$null, `$null, `$null, `$null, `$null, `$null, `$null, `$null, `$null, [Threading.CancellationToken]::None)
`$stream.Dispose()
`$null = [System.Reflection.Assembly]::LoadFrom('$dll')
Import-Module '$modulePath'
`$r = Get-KvmClocksource -ComputerName '$Target' -UserName root -KeyFilePath '$($Sshd.KeyFilePath)' -KnownHostsPath '$($Sshd.KnownHostsPath)'
`$versions = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Renci.SshNet' } | ForEach-Object { `$_.GetName().Version.Major }
"`$(`$r.Current)|`$((`$versions | Sort-Object) -join ',')"
"@
        $out = Invoke-ChildPwsh $script
        $out | Should -Be "$SysfsCurrent|2020,2026"
    }
}
