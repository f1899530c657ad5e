"""The device lab: simulated IOS-XE devices and real sshd Linux hosts on loopback.

`changeops lab up` starts one supervisor process that serves every simulated
network device of the inventory over SSH (asyncssh, one 127.0.0.1 port each)
and one OpenSSH ``sshd`` per Linux host, and writes an inventory overlay that
points the demo inventory at them. Tests and the demo run real Ansible
(``network_cli`` + ``cisco.ios``, plain ``ssh``) against it.
"""
