#include <stdio.h>
#include <string.h>
#include <time.h>
#include <gcrypt.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec/1e9;}
static void gc(const char *spec,const char *flags,int n){
 gcry_sexp_t p,key,sk,data,sig;
 gcry_sexp_build(&p,NULL,spec);
 gcry_pk_genkey(&key,p);
 sk=gcry_sexp_find_token(key,"private-key",0);
 unsigned char h[32];memset(h,7,32);
 gcry_sexp_build(&data,NULL,flags,32,h);
 double t=now();
 for(int i=0;i<n;i++){gcry_pk_sign(&sig,data,sk);gcry_sexp_release(sig);}
 printf("libgcrypt %s: %.1f us/sign\n",spec,(now()-t)/n*1e6);
}
static void os(int type,int n){
 EVP_PKEY *k=NULL;
 EVP_PKEY_CTX *c=EVP_PKEY_CTX_new_id(type,NULL);
 EVP_PKEY_keygen_init(c);
 if(type==EVP_PKEY_RSA)EVP_PKEY_CTX_set_rsa_keygen_bits(c,2048);else EVP_PKEY_CTX_set_ec_paramgen_curve_nid(c,NID_X9_62_prime256v1);
 EVP_PKEY_keygen(c,&k);
 unsigned char msg[300];memset(msg,'a',300);unsigned char sig[512];size_t sl;
 double t=now();
 for(int i=0;i<n;i++){EVP_MD_CTX *m=EVP_MD_CTX_new();EVP_DigestSignInit(m,NULL,EVP_sha256(),NULL,k);sl=sizeof sig;EVP_DigestSign(m,sig,&sl,msg,300);EVP_MD_CTX_free(m);}
 printf("libcrypto %s: %.1f us/sign\n",type==EVP_PKEY_RSA?"RSA-2048 SHA-256":"ECDSA P-256 SHA-256",(now()-t)/n*1e6);
}
int main(void){
 gcry_check_version(NULL);gcry_control(GCRYCTL_INITIALIZATION_FINISHED,0);
 gc("(genkey (rsa (nbits 4:2048)))","(data (flags pkcs1) (hash sha256 %b))",200);
 gc("(genkey (ecc (curve nistp256)))","(data (flags raw) (value %b))",500);
 os(EVP_PKEY_RSA,1000);os(EVP_PKEY_EC,5000);
}
