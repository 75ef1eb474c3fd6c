#!/bin/bash
# The lines of $REALSYS_OUT/env.sh for Znuny (run.sh calls this while Znuny runs).
echo "export ZNUNY_URL=http://127.0.0.1:8086"
echo "export ZNUNY_WEBSERVICE=http://127.0.0.1:8086/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
echo "export ZNUNY_USER=root@localhost ZNUNY_PASSWORD=rootpw"
echo "export ZNUNY_FETCH_USER=kennzahl ZNUNY_FETCH_PASSWORD=realsys-fetch"
echo "export ZNUNY_EXPORT='$REALSYS_OUT/znuny'"
