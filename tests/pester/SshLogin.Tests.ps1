# Logins and diagnostics against a real loopback sshd: default keys (one encrypted), ssh-agent,
# -Verbose without secrets, and what -ConnectTimeout covers (connect and banner, not the handshake).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Sshd = Start-TestSshd
    $script:Target = "127.0.0.1:$($Sshd.Port)"
    $script:SysfsCurrent = (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
    $script:Module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'

    # A home of its own, so the default identities are the ones this test puts there.
    function New-TestHome {
        $homeDir = Join-Path $TestDrive "home-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $null = New-Item -ItemType Directory (Join-Path $homeDir '.ssh')
        $homeDir
    }

    # Runs one command in a child pwsh with another HOME (and SSH_AUTH_SOCK); returns its output lines.
    function Invoke-InHome([string] $HomeDir, [string] $Command, [string] $AgentSocket = '') {
        $script = "`$ErrorActionPreference = 'Continue'; Import-Module '$Module'; $Command"
        $saved = $env:HOME, $env:SSH_AUTH_SOCK
        try {
            $env:HOME = $HomeDir
            $env:SSH_AUTH_SOCK = $AgentSocket
            & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally { $env:HOME, $env:SSH_AUTH_SOCK = $saved }
    }

    function Add-AuthorizedKey([string] $PublicKeyPath) {
        Add-Content -Path (Join-Path $Sshd.Directory 'authorized_keys') -Value (Get-Content -Raw $PublicKeyPath).Trim()
    }
}

AfterAll { Stop-TestSshd $Sshd }

Describe 'Default identities and ssh-agent' -Tag 'Ssh' {
    It 'skips an encrypted default key with a warning naming it, and logs in with the next one' {
        $homeDir = New-TestHome
        & ssh-keygen -q -t ed25519 -N 'secret-passphrase' -f "$homeDir/.ssh/id_ed25519"
        & ssh-keygen -q -t ecdsa -N '' -f "$homeDir/.ssh/id_ecdsa"
        Add-AuthorizedKey "$homeDir/.ssh/id_ecdsa.pub"
        $out = Invoke-InHome $homeDir "Get-KvmClocksource -ComputerName '$Target' -UserName root -KnownHostsPath '$($Sshd.KnownHostsPath)' 3>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.WarningRecord]) { 'WARNING ' + `$_.Message } else { 'CURRENT ' + `$_.Current } }"
        ($out -match '^WARNING ') | Should -HaveCount 1
        ($out -match '^WARNING ') | Should -Match ([regex]::Escape("$homeDir/.ssh/id_ed25519") + '.*needs a passphrase')
        $out | Should -Contain "CURRENT $SysfsCurrent"
    }

    It 'logs in with RSA and Ed25519 keys held by ssh-agent, never reading a key file' {
        $homeDir = New-TestHome
        $agentDir = Join-Path $TestDrive 'agent'
        $null = New-Item -ItemType Directory -Force $agentDir
        & ssh-keygen -q -t rsa -b 3072 -N '' -f "$agentDir/agent_rsa"
        & ssh-keygen -q -t ed25519 -N '' -f "$agentDir/agent_ed25519"
        Add-AuthorizedKey "$agentDir/agent_rsa.pub"
        $socket = Join-Path $agentDir 'agent.sock'
        $agentOutput = & ssh-agent -a $socket -s
        $agentPid = [int](($agentOutput | Select-String 'SSH_AGENT_PID=(\d+)').Matches[0].Groups[1].Value)
        try {
            $env:SSH_AUTH_SOCK = $socket
            & ssh-add -q "$agentDir/agent_ed25519" "$agentDir/agent_rsa" 2>&1 | Out-Null
            $env:SSH_AUTH_SOCK = $null
            # Only the agent holds keys: the key files go away, the home has none.
            Remove-Item "$agentDir/agent_rsa", "$agentDir/agent_ed25519"
            $out = Invoke-InHome $homeDir "(Get-KvmClocksource -ComputerName '$Target' -UserName root -KnownHostsPath '$($Sshd.KnownHostsPath)' -Verbose 4>&1 | Out-String)" -AgentSocket $socket
            ($out -join "`n") | Should -Match 'publickey \(3 from ssh-agent\)'
            ($out -join "`n") | Should -Match "logged in as root"
            ($out -join "`n") | Should -Match ([regex]::Escape($SysfsCurrent))
        }
        finally { Stop-Process -Id $agentPid -ErrorAction Ignore }
    }
}

Describe '-Verbose over SSH' -Tag 'Ssh' {
    It 'says per host how it connected, which known_hosts line trusted the key, how it logged in, and the round trip, with no secret' {
        $cred = [pscredential]::new($Sshd.UserName, (ConvertTo-SecureString $Sshd.Password -AsPlainText -Force))
        $verbose = Test-ConstantTsc -ComputerName $Target -Credential $cred -KnownHostsPath $Sshd.KnownHostsPath -UseSudo -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $text = $verbose -join "`n"
        $text | Should -Match "$([regex]::Escape($Target)): connecting as $($Sshd.UserName) \(connect and banner within 10 s, key exchange and login within 60 s\); offering password"
        $text | Should -Match "banner 'SSH-2\.0-OpenSSH[^']*' after \d+ ms; key exchange sntrup761x25519-sha512 \(KvmTime's sntrup761\); host key ssh-ed25519 SHA256:\S+ matches $([regex]::Escape($Sshd.KnownHostsPath)) line 1; logged in as $($Sshd.UserName)"
        $text | Should -Match 'sudo asked for a password'
        $text | Should -Match 'script of \d+ characters ran in \d+ ms \(exit 0, \d+ characters back\)'
        $text | Should -Not -Match ([regex]::Escape($Sshd.Password))
    }
}

Describe '-ConnectTimeout covers the TCP connect and the banner, not the handshake' -Tag 'Ssh' {
    BeforeAll {
        # A TCP relay to the sshd that holds the server's first bytes (the banner) or the next ones
        # (its key exchange reply) once for DelayMs: a slow network or a busy server, on demand.
        Add-Type -TypeDefinition @'
using System.Net; using System.Net.Sockets; using System.Threading.Tasks;
public sealed class KvmTimeTestDelayRelay : System.IDisposable {
    private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public KvmTimeTestDelayRelay(int targetPort, int delayMs, bool delayBanner) {
        listener.Start();
        _ = Task.Run(async () => {
            while (true) {
                TcpClient client; try { client = await listener.AcceptTcpClientAsync(); } catch { return; }
                _ = Task.Run(async () => {
                    using var server = new TcpClient(); await server.ConnectAsync(IPAddress.Loopback, targetPort);
                    var up = client.GetStream(); var down = server.GetStream();
                    var toServer = up.CopyToAsync(down);
                    var buffer = new byte[65536]; var chunk = 0;
                    try {
                        while (true) {
                            var n = await down.ReadAsync(buffer, 0, buffer.Length); if (n == 0) break;
                            if (chunk++ == (delayBanner ? 0 : 1)) await Task.Delay(delayMs);
                            await up.WriteAsync(buffer, 0, n);
                        }
                    } catch { }
                    client.Dispose();
                });
            }
        });
    }
    public void Dispose() => listener.Stop();
}
'@
    }

    It 'a banner later than -ConnectTimeout is ConnectTimeout' {
        $relay = [KvmTimeTestDelayRelay]::new($Sshd.Port, 4000, $true)
        try {
            $known = Join-Path $TestDrive 'kh-banner'
            Set-Content $known "[127.0.0.1]:$($relay.Port) $($Sshd.HostKeyLine)"
            Get-KvmClocksource -ComputerName "127.0.0.1:$($relay.Port)" -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $known -ConnectTimeout 2 -ErrorVariable e -ErrorAction SilentlyContinue
            $e | Should -HaveCount 1
            $e[0].FullyQualifiedErrorId | Should -BeLike 'ConnectTimeout,*'
        }
        finally { $relay.Dispose() }
    }

    It 'a key exchange slower than -ConnectTimeout still succeeds: the handshake has its own budget' {
        $relay = [KvmTimeTestDelayRelay]::new($Sshd.Port, 4000, $false)
        try {
            $known = Join-Path $TestDrive 'kh-kex'
            Set-Content $known "[127.0.0.1]:$($relay.Port) $($Sshd.HostKeyLine)"
            $info = Get-KvmClocksource -ComputerName "127.0.0.1:$($relay.Port)" -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $known -ConnectTimeout 2
            $info.Current | Should -Be $SysfsCurrent
        }
        finally { $relay.Dispose() }
    }
}
